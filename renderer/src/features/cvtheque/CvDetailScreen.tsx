import { useMemo, useState } from 'react';
import { map } from 'rxjs';
import {
  APPLICATION_STATUS_RECRUITER_LABELS,
  type ApplicationStatus,
} from '../../../../shared/domain/application';
import { isInList } from '../../../../shared/domain/cv-lists';
import type { ApplicationDoc } from '../../../../shared/schemas/application.schema';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import { useSession } from '../../app/session-context';
import { useObservableValue } from '../../hooks/use-rx-query';
import { useSyncState } from '../../hooks/use-sync-state';
import { formatDate } from '../../lib/format';
import { reportSaveFailure, saveFile } from '../../lib/save-file';
import { AddToListsDialog } from './AddToListsDialog';
import { CvFacts, CvIdentity, CvSections } from './CvSections';
import { useCv, useCvLists } from './cv-db';
import { fileSizeText, isPdf } from './cvtheque-model';
import { rememberedCv } from './cvtheque-state';
import { useCvFile } from './file-cache';
import { PdfViewer } from './PdfViewer';
import { ProposeDialog } from './ProposeDialog';
import './cvtheque.css';

interface Props {
  cvId: string;
  from?: 'cvtheque' | 'cv-lists';
  listId?: string;
}

function AttachedFile({ file }: { file: NonNullable<CvDoc['file']> }) {
  const state = useCvFile(file.sha256);
  const pdf = isPdf(file);

  function download(blob: Blob) {
    void saveFile(blob, file.name).catch(reportSaveFailure);
  }

  return (
    <section className="cv-file" aria-labelledby="cv-file-title">
      <h2 id="cv-file-title">CV joint</h2>
      <p className="muted small">
        {file.name} · {fileSizeText(file.size)}
      </p>
      {state.status === 'loading' ? <p aria-busy="true">Chargement du CV joint…</p> : null}
      {state.status === 'unavailable' ? (
        <p className="alert alert--info" role="status" data-testid="cv-file-unavailable">
          {state.message}
        </p>
      ) : null}
      {state.status === 'ready' ? (
        pdf ? (
          <PdfViewer blob={state.blob} fileName={file.name} fromCache={state.fromCache} />
        ) : (
          <div className="alert alert--info" data-testid="cv-file-download">
            <p>
              Ce fichier n’est pas un PDF : il ne peut pas être affiché dans l’application. Téléchargez-le
              pour l’ouvrir avec le logiciel adapté.
            </p>
            <button type="button" className="button button--primary" onClick={() => download(state.blob)}>
              Télécharger « {file.name} »
            </button>
          </div>
        )
      ) : null}
    </section>
  );
}

/**
 * When the person applied to this organisation (DESIGN §6): the identity and contact they gave with
 * the application, whatever the CV's anonymity, and a way to their application in « Mes candidats ».
 */
function ApplicantContact({ cvId }: { cvId: string }) {
  const { db, organisation, navigate } = useSession();
  const orgId = organisation?.organisationId ?? null;
  const obs = useMemo(
    () =>
      orgId
        ? db.applications
            .find({ selector: { cvId, organisationId: orgId } })
            .$.pipe(map((docs) => docs.map((d) => d.toJSON() as ApplicationDoc)))
        : null,
    [db, cvId, orgId],
  );
  const applications = useObservableValue(obs) ?? [];
  const latest = [...applications].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
  if (!latest?.applicant) return null;
  const a = latest.applicant;
  return (
    <section aria-labelledby="cv-applicant-title" className="cv-applicant" data-testid="cv-applicant">
      <h2 id="cv-applicant-title">Ses candidatures à vos offres</h2>
      <p>
        {a.firstName} {a.lastName}
        {a.email ? (
          <>
            {' · '}
            <a href={`mailto:${a.email}`}>{a.email}</a>
          </>
        ) : null}
        {a.phone ? ` · ${a.phone}` : ''}
      </p>
      <ul>
        {applications.map((app) => (
          <li key={app.id}>
            <button
              type="button"
              className="link-button"
              onClick={() => navigate({ name: 'applicants', applicationId: app.id })}
            >
              {app.offer?.title ?? 'Candidature spontanée'}
            </button>{' '}
            <span className="muted small">
              {APPLICATION_STATUS_RECRUITER_LABELS[app.status as ApplicationStatus]} · reçue le{' '}
              {formatDate(app.createdAt)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A CV of the CVthèque, every section, its attached file in the application. */
export function CvDetailScreen({ cvId, from, listId }: Props) {
  const { db, sync, user, organisation, navigate } = useSession();
  const { online } = useSyncState(sync);
  const [proposing, setProposing] = useState(false);
  const local = useCv(db, cvId);
  const doc = local ?? rememberedCv(cvId);
  const lists = useCvLists(db, user.id, organisation?.organisationId ?? null);
  const [dialog, setDialog] = useState(false);
  const inLists = (lists ?? []).filter((l) => isInList(l, cvId));

  const back = () =>
    from === 'cv-lists'
      ? navigate({ name: 'cv-lists', ...(listId ? { listId } : {}) })
      : navigate({ name: 'cvtheque' });

  if (local === undefined && !doc)
    return (
      <section aria-labelledby="cv-detail-title">
        <h1 id="cv-detail-title" tabIndex={-1}>
          CV
        </h1>
        <p aria-busy="true">Chargement du CV…</p>
      </section>
    );

  if (!doc)
    return (
      <section aria-labelledby="cv-detail-title">
        <h1 id="cv-detail-title" tabIndex={-1}>
          CV introuvable
        </h1>
        <p>Ce CV n’est pas sur ce poste : il a peut-être été retiré de la CVthèque par son auteur.</p>
        <button type="button" className="button button--secondary" onClick={back}>
          {from === 'cv-lists' ? 'Retour à mes listes' : 'Retour à la CVthèque'}
        </button>
      </section>
    );

  return (
    <article className="cv-detail" aria-labelledby="cv-detail-title" data-testid="cv-detail">
      <p>
        <button type="button" className="link-button" onClick={back}>
          ← {from === 'cv-lists' ? 'Retour à mes listes' : 'Retour aux résultats'}
        </button>
      </p>
      <div className="page-header">
        <h1 id="cv-detail-title" tabIndex={-1}>
          {doc.title}
        </h1>
        <div className="cv-actions">
          <button type="button" className="button button--primary" onClick={() => setDialog(true)}>
            Ajouter à une liste
          </button>
          <button type="button" className="button button--secondary" onClick={() => setProposing(true)}>
            Proposer pour une offre
          </button>
          <button
            type="button"
            className="button button--secondary"
            data-testid="write-button"
            onClick={() => navigate({ name: 'messages', write: { aboutKind: 'cv', aboutId: doc.id } })}
          >
            Écrire
          </button>
        </div>
      </div>
      {inLists.length ? (
        <p className="small" data-testid="cv-in-lists">
          Dans vos listes : {inLists.map((l) => `« ${l.name} »`).join(', ')}
        </p>
      ) : null}
      {!local ? (
        <p className="alert alert--info small">
          Ce CV vient de la recherche sur le serveur : il n’est pas enregistré sur ce poste. Ajoutez-le à une
          liste pour le garder hors ligne.
        </p>
      ) : null}
      <div className="cv-detail__layout">
        <div className="cv-detail__main">
          <CvIdentity doc={doc} />
          <ApplicantContact cvId={doc.id} />
          <section aria-labelledby="cv-target-title">
            <h2 id="cv-target-title">Cible professionnelle</h2>
            <CvFacts doc={doc} />
          </section>
          <CvSections doc={doc} level={2} />
        </div>
        <div className="cv-detail__file">
          {doc.file ? (
            <AttachedFile file={doc.file} />
          ) : (
            <section aria-labelledby="cv-file-title">
              <h2 id="cv-file-title">CV joint</h2>
              <p className="muted">Le candidat n’a pas joint de CV personnel.</p>
            </section>
          )}
        </div>
      </div>
      <AddToListsDialog
        cvIds={dialog ? [doc.id] : null}
        label={doc.title}
        fileHashes={doc.file ? [doc.file.sha256] : []}
        onClose={() => setDialog(false)}
      />
      <ProposeDialog cv={proposing ? doc : null} online={online} onClose={() => setProposing(false)} />
    </article>
  );
}
