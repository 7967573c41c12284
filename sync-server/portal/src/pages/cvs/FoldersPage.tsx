/**
 * « Mes dossiers de candidature » (seed 004): several folders, each a CV (one of my CVs, or a CV
 * file alone), a cover letter (text and/or a PDF letter) and optionally a video link, chosen when
 * applying.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  type ApplicationFolder,
  FOLDER_NAME_MAX,
  LETTER_TEXT_MAX,
  MAX_FOLDERS,
  VIDEO_PROVIDER_LABELS,
  validateFolderInput,
  videoProvider,
} from '../../../../../shared/domain/application-folder';
import type { CvSummary } from '../../../../../shared/domain/cv';
import { ApiError, apiRequest } from '../../api';
import { Link, PATHS } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { controlProps, ErrorSummary, FieldHint, FieldMessage, TextField } from './CvPdfFields';
import './folders.css';

interface UploadedFile {
  sha256: string;
  mime: string;
  size: number;
}

interface FileChoice {
  sha256: string;
  name: string;
}

const PREFIX = 'dossier';

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} Ko`;
  return `${(Math.round((bytes / (1024 * 1024)) * 10) / 10).toLocaleString('fr-FR')} Mo`;
}

async function uploadPdf(file: File, purpose: 'cv' | 'letter'): Promise<FileChoice> {
  const uploaded = await apiRequest<UploadedFile>(
    'POST',
    `/api/candidate/files?purpose=${purpose}`,
    await file.arrayBuffer(),
    { headers: { 'content-type': 'application/octet-stream' } },
  );
  return { sha256: uploaded.sha256, name: file.name.replace(/[\\/]/g, '_').slice(0, 200) || 'document.pdf' };
}

/** A PDF file input: uploads at once, shows the chosen file and lets it be removed. */
function PdfInput({
  field,
  label,
  hint,
  purpose,
  value,
  onChange,
  error,
}: {
  field: string;
  label: string;
  hint: string;
  purpose: 'cv' | 'letter';
  value: FileChoice | null;
  onChange: (value: FileChoice | null) => void;
  error: unknown;
}) {
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<ApiError | null>(null);
  const shown = uploadError ?? error;
  const props = controlProps(PREFIX, field, shown, true);
  return (
    <div className="field">
      <label htmlFor={props.id}>{label}</label>
      <FieldHint prefix={PREFIX} field={field}>
        {hint}
      </FieldHint>
      {value && (
        <p className="folder-form__file">
          Fichier joint : <strong>{value.name}</strong>{' '}
          <button type="button" className="link-button" onClick={() => onChange(null)}>
            Retirer<span className="visually-hidden"> le fichier {value.name}</span>
          </button>
        </p>
      )}
      <input
        {...props}
        type="file"
        accept="application/pdf"
        disabled={uploading}
        onChange={async (event) => {
          const file = event.target.files?.[0];
          if (!file) return;
          setUploading(true);
          setUploadError(null);
          try {
            onChange(await uploadPdf(file, purpose));
          } catch (e) {
            const message = e instanceof Error ? e.message : 'L’envoi du fichier a échoué.';
            setUploadError(new ApiError(400, 'validation', message, [{ field, message }]));
          } finally {
            setUploading(false);
            event.target.value = '';
          }
        }}
      />
      {uploading && <p role="status">Envoi du fichier…</p>}
      <FieldMessage prefix={PREFIX} field={field} error={shown} />
    </div>
  );
}

interface Draft {
  name: string;
  cvSource: 'cv' | 'file';
  cvId: string;
  cvFile: FileChoice | null;
  letterText: string;
  letterFile: FileChoice | null;
  videoUrl: string;
}

function draftOf(folder: ApplicationFolder | null, cvs: CvSummary[]): Draft {
  return {
    name: folder?.name ?? '',
    cvSource: folder?.cvFile ? 'file' : cvs.length === 0 ? 'file' : 'cv',
    cvId: folder?.cvId ?? cvs[0]?.id ?? '',
    cvFile: folder?.cvFile ? { sha256: folder.cvFile.sha256, name: folder.cvFile.name } : null,
    letterText: folder?.letterText ?? '',
    letterFile: folder?.letterFile
      ? { sha256: folder.letterFile.sha256, name: folder.letterFile.name }
      : null,
    videoUrl: folder?.videoUrl ?? '',
  };
}

function FolderForm({
  folder,
  cvs,
  onSaved,
  onCancel,
}: {
  folder: ApplicationFolder | null;
  cvs: CvSummary[];
  onSaved: (folder: ApplicationFolder) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(folder, cvs));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  useEffect(() => {
    heading.current?.focus();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      name: draft.name,
      cvId: draft.cvSource === 'cv' ? draft.cvId || null : null,
      cvFile: draft.cvSource === 'file' ? draft.cvFile : null,
      letterText: draft.letterText,
      letterFile: draft.letterFile,
      videoUrl: draft.videoUrl.trim() || null,
    };
    // The same checks as the server, before sending.
    const local = validateFolderInput(body);
    if (!local.ok) {
      const fields = local.errors.map((e) =>
        e.field === 'cvId' && draft.cvSource === 'file' ? { ...e, field: 'cvFile' } : e,
      );
      setError(
        new ApiError(
          400,
          'validation',
          'Le dossier n’a pas été enregistré : corrigez les champs signalés.',
          fields,
        ),
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = folder
        ? await apiRequest<ApplicationFolder>(
            'PUT',
            `/api/candidate/folders/${encodeURIComponent(folder.id)}`,
            body,
          )
        : await apiRequest<ApplicationFolder>('POST', '/api/candidate/folders', body);
      onSaved(saved);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const provider = draft.videoUrl.trim() ? videoProvider(draft.videoUrl) : null;
  const cvSourceProps = controlProps(PREFIX, 'cvId', error);
  return (
    <form className="form panel" noValidate onSubmit={submit} aria-labelledby="dossier-form-titre">
      <h2 id="dossier-form-titre" tabIndex={-1} ref={heading}>
        {folder ? `Modifier le dossier « ${folder.name} »` : 'Nouveau dossier de candidature'}
      </h2>
      <p className="field__hint">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
      <ErrorSummary prefix={PREFIX} error={error} />
      <TextField
        prefix={PREFIX}
        field="name"
        label="Nom du dossier"
        hint="Pour le retrouver quand vous postulez, par exemple « Boulangerie – Lyon »."
        required
        maxLength={FOLDER_NAME_MAX}
        error={error}
        value={draft.name}
        onChange={(v) => set('name', v)}
      />
      <fieldset aria-describedby={cvSourceProps['aria-describedby']}>
        <legend>
          CV du dossier<span aria-hidden="true"> *</span>
          <span className="visually-hidden"> (obligatoire)</span>
        </legend>
        <div className="choice">
          <input
            type="radio"
            id="dossier-source-cv"
            name="dossier-source"
            checked={draft.cvSource === 'cv'}
            disabled={cvs.length === 0}
            onChange={() => set('cvSource', 'cv')}
          />
          <label htmlFor="dossier-source-cv">L’un de mes CV</label>
        </div>
        {draft.cvSource === 'cv' && (
          <div className="field folder-form__nested">
            <label htmlFor={cvSourceProps.id}>CV choisi</label>
            <select {...cvSourceProps} value={draft.cvId} onChange={(e) => set('cvId', e.target.value)}>
              {cvs.map((cv) => (
                <option key={cv.id} value={cv.id}>
                  {cv.title || 'CV sans titre'}
                  {cv.status === 'brouillon' ? ' (brouillon)' : cv.status === 'suspendu' ? ' (suspendu)' : ''}
                </option>
              ))}
            </select>
            <FieldMessage prefix={PREFIX} field="cvId" error={error} />
          </div>
        )}
        {cvs.length === 0 && (
          <p className="field__hint">
            Vous n’avez pas encore de CV sur le site : <Link to={PATHS.cvs}>créer un CV</Link> ou joignez un
            fichier.
          </p>
        )}
        <div className="choice">
          <input
            type="radio"
            id="dossier-source-fichier"
            name="dossier-source"
            checked={draft.cvSource === 'file'}
            onChange={() => set('cvSource', 'file')}
          />
          <label htmlFor="dossier-source-fichier">Un fichier CV seul (PDF)</label>
        </div>
        {draft.cvSource === 'file' && (
          <div className="folder-form__nested">
            <PdfInput
              field="cvFile"
              label="Fichier CV"
              hint="Format PDF, 5 Mo au plus."
              purpose="cv"
              value={draft.cvFile}
              onChange={(v) => set('cvFile', v)}
              error={error}
            />
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>Lettre de motivation (facultative)</legend>
        <TextField
          prefix={PREFIX}
          field="letterText"
          label="Texte de la lettre"
          hint={`${LETTER_TEXT_MAX.toLocaleString('fr-FR')} caractères au plus.`}
          multiline
          maxLength={LETTER_TEXT_MAX}
          error={error}
          value={draft.letterText}
          onChange={(v) => set('letterText', v)}
        />
        <PdfInput
          field="letterFile"
          label="Ou une lettre au format PDF"
          hint="Format PDF, 5 Mo au plus."
          purpose="letter"
          value={draft.letterFile}
          onChange={(v) => set('letterFile', v)}
          error={error}
        />
      </fieldset>
      <TextField
        prefix={PREFIX}
        field="videoUrl"
        label="Lien vers une vidéo de présentation (facultatif)"
        hint={`Adresse complète commençant par https:// (YouTube, Vimeo, Dailymotion ou autre site).${provider ? ` Lien reconnu : ${VIDEO_PROVIDER_LABELS[provider]}.` : ''}`}
        type="url"
        error={error}
        value={draft.videoUrl}
        onChange={(v) => set('videoUrl', v)}
      />
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy} aria-disabled={busy}>
          {busy ? 'Enregistrement…' : 'Enregistrer le dossier'}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}

function FolderCard({
  folder,
  onEdit,
  onDelete,
}: {
  folder: ApplicationFolder;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const provider = folder.videoUrl ? videoProvider(folder.videoUrl) : null;
  return (
    <li className="panel folder-card">
      <h2 className="folder-card__title">{folder.name}</h2>
      <dl className="folder-card__facts">
        <dt>CV</dt>
        <dd>
          {folder.cvId ? (
            <Link to={`/mes-cv/${encodeURIComponent(folder.cvId)}`}>{folder.cvTitle || 'CV sans titre'}</Link>
          ) : folder.cvFile ? (
            <>
              <a href={`/api/files/${folder.cvFile.sha256}`}>{folder.cvFile.name}</a> (PDF,{' '}
              {formatSize(folder.cvFile.size)})
            </>
          ) : (
            <span className="folder-card__warning">
              <span aria-hidden="true">⚠ </span>Le CV de ce dossier a été supprimé : choisissez-en un autre.
            </span>
          )}
        </dd>
        <dt>Lettre de motivation</dt>
        <dd>
          {folder.letterText ? <p className="folder-card__letter">{folder.letterText}</p> : null}
          {folder.letterFile ? (
            <p>
              <a href={`/api/files/${folder.letterFile.sha256}`}>{folder.letterFile.name}</a> (PDF,{' '}
              {formatSize(folder.letterFile.size)})
            </p>
          ) : null}
          {!folder.letterText && !folder.letterFile ? 'Aucune' : null}
        </dd>
        <dt>Vidéo</dt>
        <dd>
          {folder.videoUrl ? (
            <a href={folder.videoUrl} rel="noopener noreferrer nofollow" target="_blank">
              {provider ? VIDEO_PROVIDER_LABELS[provider] : 'Vidéo'}
              <span className="visually-hidden"> (nouvelle fenêtre)</span>
            </a>
          ) : (
            'Aucune'
          )}
        </dd>
        <dt>Modifié le</dt>
        <dd>{new Date(folder.updatedAt).toLocaleDateString('fr-FR', { dateStyle: 'long' })}</dd>
      </dl>
      <div className="form__actions">
        <button type="button" className="button button--secondary" onClick={onEdit}>
          Modifier<span className="visually-hidden"> le dossier {folder.name}</span>
        </button>
        <button type="button" className="button button--secondary" onClick={onDelete}>
          Supprimer<span className="visually-hidden"> le dossier {folder.name}</span>
        </button>
      </div>
    </li>
  );
}

function Folders() {
  const [state, retry] = useLoad('folders', async (signal) => {
    const [folders, cvs] = await Promise.all([
      apiRequest<ApplicationFolder[]>('GET', '/api/candidate/folders', undefined, { signal }),
      apiRequest<CvSummary[]>('GET', '/api/candidate/cvs', undefined, { signal }),
    ]);
    return { folders, cvs };
  });
  const [editing, setEditing] = useState<ApplicationFolder | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  if (state.status === 'loading') return <p aria-busy="true">Chargement de vos dossiers…</p>;
  if (state.status === 'error')
    return (
      <div className="notice notice--error" role="alert">
        <p>
          {state.error instanceof Error ? state.error.message : 'Vos dossiers n’ont pas pu être chargés.'}
        </p>
        <button type="button" className="button button--secondary" onClick={retry}>
          Réessayer
        </button>
      </div>
    );
  const { folders, cvs } = state.data;

  if (editing)
    return (
      <FolderForm
        folder={editing === 'new' ? null : editing}
        cvs={cvs}
        onCancel={() => setEditing(null)}
        onSaved={(saved) => {
          setEditing(null);
          setNotice(`Le dossier « ${saved.name} » est enregistré.`);
          retry();
        }}
      />
    );

  return (
    <>
      <div role="status">{notice ? <p className="notice notice--success">{notice}</p> : null}</div>
      {actionError && (
        <div className="notice notice--error" role="alert">
          <p>{actionError}</p>
        </div>
      )}
      <p>
        {folders.length === 0
          ? 'Vous n’avez pas encore de dossier de candidature.'
          : `${folders.length} dossier${folders.length > 1 ? 's' : ''} sur ${MAX_FOLDERS} possibles.`}
      </p>
      <div className="form__actions">
        <button
          type="button"
          className="button"
          disabled={folders.length >= MAX_FOLDERS}
          aria-disabled={folders.length >= MAX_FOLDERS}
          onClick={() => {
            setNotice(null);
            setEditing('new');
          }}
        >
          Créer un dossier
        </button>
      </div>
      {folders.length >= MAX_FOLDERS && (
        <p className="field__hint">
          Vous avez atteint {MAX_FOLDERS} dossiers : supprimez-en un pour en créer un autre.
        </p>
      )}
      {folders.length > 0 && (
        <ul className="folder-list">
          {folders.map((folder) => (
            <FolderCard
              key={folder.id}
              folder={folder}
              onEdit={() => {
                setNotice(null);
                setEditing(folder);
              }}
              onDelete={async () => {
                if (
                  !window.confirm(`Supprimer le dossier « ${folder.name} » ? Vos CV ne sont pas supprimés.`)
                )
                  return;
                setActionError(null);
                try {
                  await apiRequest('DELETE', `/api/candidate/folders/${encodeURIComponent(folder.id)}`);
                  setNotice(`Le dossier « ${folder.name} » est supprimé.`);
                  retry();
                } catch (e) {
                  setActionError(e instanceof Error ? e.message : 'La suppression a échoué.');
                }
              }}
            />
          ))}
        </ul>
      )}
    </>
  );
}

export function FoldersPage(_props: { search: string }) {
  useDocumentTitle('Mes dossiers de candidature');
  return (
    <>
      <h1>Mes dossiers de candidature</h1>
      <p>
        Préparez plusieurs dossiers (un CV, une lettre de motivation et, si vous le souhaitez, une vidéo) et
        choisissez le plus adapté quand vous répondez à une offre. <Link to={PATHS.cvs}>Gérer mes CV</Link>
      </p>
      <Folders />
    </>
  );
}
