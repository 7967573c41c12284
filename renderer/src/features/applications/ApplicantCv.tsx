import { useEffect, useState } from 'react';
import type { ApplicationDoc } from '../../../../shared/schemas';
import { useCvFile } from '../cvtheque/file-cache';
import { PdfViewer } from '../cvtheque/PdfViewer';
import { downloadBytes } from './download';

function ImageFile({ blob, alt }: { blob: Blob; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url ? <img className="applicant-cv-photo" src={url} alt={alt} /> : null;
}

async function looksLikePdf(blob: Blob): Promise<boolean> {
  const head = new Uint8Array(await blob.slice(0, 5).arrayBuffer());
  return String.fromCharCode(...head) === '%PDF-';
}

/** The file sent or captured with the application (from this workstation's cache when offline), and the CV copied with it. */
export function ApplicantCv({ doc }: { doc: ApplicationDoc }) {
  const file = useCvFile(doc.cvFile ?? null);
  const [kind, setKind] = useState<'pdf' | 'image' | 'other' | null>(null);
  const name = `${doc.applicant?.firstName ?? ''} ${doc.applicant?.lastName ?? ''}`.trim();

  useEffect(() => {
    setKind(null);
    if (file.status !== 'ready') return;
    let live = true;
    void looksLikePdf(file.blob).then((pdf) => {
      if (!live) return;
      setKind(pdf ? 'pdf' : file.blob.type.startsWith('image/') ? 'image' : 'other');
    });
    return () => {
      live = false;
    };
  }, [file]);

  const cv = doc.cv;
  return (
    <div className="applicant-cv" data-testid="applicant-cv">
      {doc.cvFile ? (
        <>
          {file.status === 'loading' ? <p aria-busy="true">Chargement du CV…</p> : null}
          {file.status === 'unavailable' ? (
            <p className="alert alert--info" role="status">
              {file.message}
            </p>
          ) : null}
          {file.status === 'ready' && kind === 'pdf' ? (
            <PdfViewer blob={file.blob} fileName={`CV ${name}.pdf`} fromCache={file.fromCache} />
          ) : null}
          {file.status === 'ready' && kind === 'image' ? (
            <ImageFile blob={file.blob} alt={`CV de ${name} (photo)`} />
          ) : null}
          {file.status === 'ready' && kind === 'other' ? (
            <button
              type="button"
              className="button button--primary"
              onClick={async () =>
                downloadBytes(new Uint8Array(await file.blob.arrayBuffer()), `CV ${name}`, file.blob.type)
              }
            >
              Télécharger le CV
            </button>
          ) : null}
        </>
      ) : null}
      {cv ? (
        <section aria-labelledby="applicant-cv-copy">
          <h3 id="applicant-cv-copy">{cv.title ?? 'CV envoyé avec la candidature'}</h3>
          {cv.summary ? <p className="pre-line">{cv.summary}</p> : null}
          {cv.experiences && cv.experiences.length > 0 ? (
            <>
              <h4>Expériences</h4>
              <ul>
                {cv.experiences.map((e) => (
                  <li key={`${e.jobTitle}|${e.company ?? ''}|${e.start ?? ''}`}>
                    <strong>{e.jobTitle}</strong>
                    {e.company ? ` — ${e.company}` : ''} ({e.start ?? '?'} – {e.end ?? 'aujourd’hui'})
                    {e.description ? <p className="pre-line">{e.description}</p> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {cv.diplomas && cv.diplomas.length > 0 ? (
            <>
              <h4>Diplômes et formations</h4>
              <ul>
                {cv.diplomas.map((d) => (
                  <li key={`${d.title}|${d.date ?? ''}`}>
                    {d.title}
                    {d.date ? ` (${d.date})` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {cv.skills && cv.skills.length > 0 ? (
            <>
              <h4>Compétences</h4>
              <ul>
                {cv.skills.map((s) => (
                  <li key={s.label}>
                    {s.label}
                    {s.level ? ` : ${s.level}/5` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {cv.languages && cv.languages.length > 0 ? (
            <p>
              Langues : {cv.languages.map((l) => `${l.language}${l.level ? ` (${l.level})` : ''}`).join(', ')}
            </p>
          ) : null}
          {cv.licences && cv.licences.length > 0 ? <p>Permis : {cv.licences.join(', ')}</p> : null}
        </section>
      ) : null}
      {!doc.cvFile && !cv ? <p>Pas de CV joint.</p> : null}
    </div>
  );
}
