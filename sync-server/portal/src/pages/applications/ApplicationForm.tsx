/**
 * The application form, for an offer or a company (spontaneous): a signed-in candidate chooses a
 * CV, a folder or a file and writes a message (seed 002 « télécandidature », seed 004 dossiers);
 * without an account (seed 004) the person gives identity, e-mail, phone, CV file, message and
 * consent. The page shows the success state it gets back.
 */
import { type FormEvent, useId, useState } from 'react';
import {
  APPLICATION_CONSENT_TEXT,
  APPLICATION_LIMITS,
  type CandidateApplication,
  CIVILITIES,
  CIVILITY_LABELS,
  isActive,
} from '../../../../../shared/domain/application';
import { FILE_PURPOSES } from '../../../../../shared/domain/files';
import { ApiError, apiRequest } from '../../api';
import { formatDate } from '../../format';
import { Link, PATHS } from '../../router';
import { loginHref, useSession } from '../../session';
import { useLoad } from '../../useLoad';
import { describedBy, ErrorSummary, FieldErrorText, Loading, messageFor } from './application-ui';
import {
  type CvChoice,
  type FolderChoice,
  fetchApplications,
  fetchCvChoices,
  fetchFolderChoices,
  uploadFile,
} from './applications-api';

export type ApplicationTargetInput = { offerId: string } | { companyId: string; jobId?: string };

export interface ApplicationSent {
  anonymous: boolean;
  email: string;
}

const LABELS: Record<string, string> = {
  offerId: 'Offre',
  companyId: 'Entreprise',
  jobId: 'Poste visé',
  cvId: 'CV',
  folderId: 'Dossier',
  file: 'Fichier CV',
  letterFile: 'Lettre de motivation',
  message: 'Message',
  civility: 'Civilité',
  firstName: 'Prénom',
  lastName: 'Nom',
  email: 'E-mail',
  phone: 'Téléphone',
  consent: 'Consentement',
  status: 'Statut',
};

export function ApplicationForm({
  target,
  onSent,
}: {
  target: ApplicationTargetInput;
  onSent: (sent: ApplicationSent) => void;
}) {
  const { session } = useSession();
  if (session.status === 'loading') return <Loading />;
  if (session.status === 'signed-in' && session.user.kind !== 'candidate')
    return (
      <div className="notice notice--info" role="status">
        <p>
          Vous êtes connecté avec un compte recruteur : pour postuler, déconnectez-vous ou utilisez un compte
          candidat.
        </p>
      </div>
    );
  if (session.status === 'signed-in')
    return (
      <SignedInForm
        target={target}
        onSent={onSent}
        email={session.user.email}
        confirmed={session.user.emailConfirmed !== false}
      />
    );
  return <AnonymousForm target={target} onSent={onSent} />;
}

function sameTarget(a: CandidateApplication, t: ApplicationTargetInput): boolean {
  if ('offerId' in t) return a.offerId === t.offerId;
  return !a.offerId && a.companyId === t.companyId && (a.jobId ?? undefined) === t.jobId;
}

type CvMode = { kind: 'cv'; id: string } | { kind: 'folder'; id: string } | { kind: 'file' };

function SignedInForm({
  target,
  onSent,
  email,
  confirmed,
}: {
  target: ApplicationTargetInput;
  onSent: (sent: ApplicationSent) => void;
  email: string;
  confirmed: boolean;
}) {
  const id = useId();
  const [choices] = useLoad('choices', async (signal) => {
    const [cvs, folders, applications] = await Promise.all([
      fetchCvChoices(signal),
      fetchFolderChoices(signal),
      fetchApplications(signal).catch(() => []),
    ]);
    return { cvs, folders, applications };
  });
  const [mode, setMode] = useState<CvMode | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [letter, setLetter] = useState<File | null>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (choices.status !== 'ready') return <Loading>Chargement de vos CV…</Loading>;
  const { cvs, folders, applications } = choices.data;
  const previous = applications.find((a) => sameTarget(a, target) && isActive(a.status));
  if (previous)
    return (
      <div className="notice notice--info" role="status">
        <p>
          {previous.status === 'proposee'
            ? `Un recruteur vous a proposé cette offre le ${formatDate(previous.createdAt)} : répondez à sa proposition dans « Mes candidatures ».`
            : `Vous avez déjà postulé le ${formatDate(previous.createdAt)} (statut : ${previous.statusLabel}). Vous pourrez postuler à nouveau si vous retirez cette candidature.`}
        </p>
        <p>
          <Link to={PATHS.applications}>Voir mes candidatures</Link>
        </p>
      </div>
    );
  const current: CvMode =
    mode ??
    (folders[0]
      ? { kind: 'folder', id: folders[0].id }
      : cvs[0]
        ? { kind: 'cv', id: cvs[0].id }
        : { kind: 'file' });
  const ids = {
    cv: `${id}-cv`,
    file: `${id}-file`,
    message: `${id}-message`,
    letterFile: `${id}-letter`,
  };
  const cvError = messageFor(error, 'cvId', 'folderId');
  const fileError = messageFor(error, 'file');
  const messageError = messageFor(error, 'message');
  const letterError = messageFor(error, 'letterFile');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { ...target, message };
      if (current.kind === 'cv') body.cvId = current.id;
      else if (current.kind === 'folder') body.folderId = current.id;
      else {
        if (!file) {
          throw new ApiError(400, 'validation', 'Joignez votre CV.', [
            { field: 'file', message: 'Choisissez le fichier de votre CV.' },
          ]);
        }
        body.file = await uploadFile(file, false, 'cv');
      }
      if (letter) {
        try {
          body.letterFile = await uploadFile(letter, false, 'letter');
        } catch (e) {
          if (e instanceof ApiError)
            throw new ApiError(e.status, e.code, e.message, [{ field: 'letterFile', message: e.message }]);
          throw e;
        }
      }
      await apiRequest('POST', '/api/candidate/applications', body);
      onSent({ anonymous: false, email });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <form
      className="form"
      noValidate
      onSubmit={submit}
      aria-describedby={confirmed ? undefined : `${id}-confirm`}
    >
      {!confirmed && (
        <div className="notice notice--info" id={`${id}-confirm`}>
          <p>
            Confirmez d’abord votre adresse e-mail avec le lien reçu à l’inscription : les recruteurs doivent
            pouvoir vous répondre. <Link to={PATHS.account}>Renvoyer le lien depuis « Mon compte »</Link>.
          </p>
        </div>
      )}
      <ErrorSummary
        error={error}
        labels={LABELS}
        fieldIds={{
          cvId: ids.cv,
          folderId: ids.cv,
          file: ids.file,
          message: ids.message,
          letterFile: ids.letterFile,
        }}
      />
      <fieldset aria-describedby={cvError ? `${ids.cv}-error` : undefined}>
        <legend>Le CV que vous envoyez</legend>
        <div className="cv-choices" id={ids.cv} tabIndex={-1}>
          {folders.map((f: FolderChoice) => (
            <div className="choice" key={`folder-${f.id}`}>
              <input
                type="radio"
                name={`${id}-mode`}
                id={`${id}-folder-${f.id}`}
                checked={current.kind === 'folder' && current.id === f.id}
                onChange={() => setMode({ kind: 'folder', id: f.id })}
              />
              <label htmlFor={`${id}-folder-${f.id}`}>
                Dossier « {f.name} »{f.cvTitle ? ` (CV : ${f.cvTitle})` : ''}
              </label>
            </div>
          ))}
          {cvs.map((c: CvChoice) => (
            <div className="choice" key={`cv-${c.id}`}>
              <input
                type="radio"
                name={`${id}-mode`}
                id={`${id}-cv-${c.id}`}
                checked={current.kind === 'cv' && current.id === c.id}
                onChange={() => setMode({ kind: 'cv', id: c.id })}
              />
              <label htmlFor={`${id}-cv-${c.id}`}>CV « {c.title || 'Sans titre'} »</label>
            </div>
          ))}
          <div className="choice">
            <input
              type="radio"
              name={`${id}-mode`}
              id={`${id}-mode-file`}
              checked={current.kind === 'file'}
              onChange={() => setMode({ kind: 'file' })}
            />
            <label htmlFor={`${id}-mode-file`}>Joindre un fichier CV</label>
          </div>
        </div>
        <FieldErrorText id={`${ids.cv}-error`} message={cvError} />
        {current.kind === 'file' && (
          <div className="field">
            <label htmlFor={ids.file}>Fichier de votre CV</label>
            <p className="field__hint" id={`${ids.file}-hint`}>
              {FILE_PURPOSES.cv.rule}
            </p>
            <input
              id={ids.file}
              type="file"
              accept={FILE_PURPOSES.cv.accept}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              {...describedBy(`${ids.file}-hint`, `${ids.file}-error`, fileError)}
            />
            <FieldErrorText id={`${ids.file}-error`} message={fileError} />
          </div>
        )}
        {cvs.length === 0 && folders.length === 0 && (
          <p className="field__hint">
            Vous n’avez pas encore de CV en ligne : <Link to={PATHS.cvs}>créez-en un dans « Mes CV »</Link>,
            ou joignez un fichier.
          </p>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={ids.letterFile}>Lettre de motivation (facultatif)</label>
        <p className="field__hint" id={`${ids.letterFile}-hint`}>
          {FILE_PURPOSES.letter.rule}
        </p>
        <input
          id={ids.letterFile}
          type="file"
          accept={FILE_PURPOSES.letter.accept}
          onChange={(e) => setLetter(e.target.files?.[0] ?? null)}
          {...describedBy(`${ids.letterFile}-hint`, `${ids.letterFile}-error`, letterError)}
        />
        <FieldErrorText id={`${ids.letterFile}-error`} message={letterError} />
      </div>
      <div className="field">
        <label htmlFor={ids.message}>Votre message au recruteur (facultatif)</label>
        <p className="field__hint" id={`${ids.message}-hint`}>
          Dites en quelques lignes pourquoi votre profil correspond à l’offre ({APPLICATION_LIMITS.message}{' '}
          caractères au plus).
        </p>
        <textarea
          id={ids.message}
          maxLength={APPLICATION_LIMITS.message}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          {...describedBy(`${ids.message}-hint`, `${ids.message}-error`, messageError)}
        />
        <FieldErrorText id={`${ids.message}-error`} message={messageError} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Envoi en cours…' : 'Envoyer ma candidature'}
        </button>
      </div>
    </form>
  );
}

function AnonymousForm({
  target,
  onSent,
}: {
  target: ApplicationTargetInput;
  onSent: (sent: ApplicationSent) => void;
}) {
  const id = useId();
  const [values, setValues] = useState({
    civility: '',
    firstName: '',
    lastName: '',
    email: '',
    phone: '',
    message: '',
  });
  const [file, setFile] = useState<File | null>(null);
  const [letter, setLetter] = useState<File | null>(null);
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const here = window.location.pathname + window.location.search;
  const ids = {
    civility: `${id}-civility`,
    firstName: `${id}-firstName`,
    lastName: `${id}-lastName`,
    email: `${id}-email`,
    phone: `${id}-phone`,
    message: `${id}-message`,
    file: `${id}-file`,
    letterFile: `${id}-letter`,
    consent: `${id}-consent`,
  };
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [k]: e.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let sha: string | undefined;
      let letterSha: string | undefined;
      try {
        if (file) sha = await uploadFile(file, true, 'cv');
      } catch (e) {
        if (e instanceof ApiError)
          throw new ApiError(e.status, e.code, e.message, [{ field: 'file', message: e.message }]);
        throw e;
      }
      try {
        if (letter) letterSha = await uploadFile(letter, true, 'letter');
      } catch (e) {
        if (e instanceof ApiError)
          throw new ApiError(e.status, e.code, e.message, [{ field: 'letterFile', message: e.message }]);
        throw e;
      }
      const body = {
        ...target,
        ...(values.civility ? { civility: values.civility } : {}),
        firstName: values.firstName,
        lastName: values.lastName,
        email: values.email,
        phone: values.phone,
        message: values.message,
        consent,
        ...(sha ? { file: sha } : {}),
        ...(letterSha ? { letterFile: letterSha } : {}),
      };
      const res = await apiRequest<{ email: string }>('POST', '/api/public/applications', body);
      onSent({ anonymous: true, email: res.email });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  const err = (f: string) => messageFor(error, f);
  const text = (
    key: 'firstName' | 'lastName' | 'email' | 'phone',
    label: string,
    options: { type?: string; autoComplete: string; required?: boolean; hint?: string; max: number },
  ) => (
    <div className="field">
      <label htmlFor={ids[key]}>
        {label}
        {options.required ? ' (obligatoire)' : ' (facultatif)'}
      </label>
      {options.hint && (
        <p className="field__hint" id={`${ids[key]}-hint`}>
          {options.hint}
        </p>
      )}
      <input
        id={ids[key]}
        type={options.type ?? 'text'}
        autoComplete={options.autoComplete}
        maxLength={options.max}
        required={options.required}
        value={values[key]}
        onChange={set(key)}
        {...describedBy(options.hint ? `${ids[key]}-hint` : null, `${ids[key]}-error`, err(key))}
      />
      <FieldErrorText id={`${ids[key]}-error`} message={err(key)} />
    </div>
  );

  return (
    <>
      <div className="notice notice--info">
        <p>
          Vous avez un compte candidat ? <Link to={loginHref(here)}>Connectez-vous</Link> pour postuler avec
          vos CV et suivre vos candidatures. Pas de compte ? Postulez ci-dessous avec votre e-mail et votre
          CV, ou <Link to={`${PATHS.signup}?retour=${encodeURIComponent(here)}`}>créez un compte</Link>.
        </p>
      </div>
      <form className="form" noValidate onSubmit={submit}>
        <ErrorSummary error={error} labels={LABELS} fieldIds={ids} />
        <fieldset>
          <legend>Vos coordonnées</legend>
          <div className="field">
            <label htmlFor={ids.civility}>Civilité (facultatif)</label>
            <select
              id={ids.civility}
              value={values.civility}
              onChange={set('civility')}
              {...describedBy(null, `${ids.civility}-error`, err('civility'))}
            >
              <option value="">Non précisée</option>
              {CIVILITIES.map((c) => (
                <option key={c} value={c}>
                  {CIVILITY_LABELS[c]}
                </option>
              ))}
            </select>
            <FieldErrorText id={`${ids.civility}-error`} message={err('civility')} />
          </div>
          {text('firstName', 'Prénom', {
            autoComplete: 'given-name',
            required: true,
            max: APPLICATION_LIMITS.name,
          })}
          {text('lastName', 'Nom', {
            autoComplete: 'family-name',
            required: true,
            max: APPLICATION_LIMITS.name,
          })}
          {text('email', 'E-mail', {
            type: 'email',
            autoComplete: 'email',
            required: true,
            hint: 'Le recruteur vous répondra à cette adresse ; vous y recevrez le lien de suivi de votre candidature.',
            max: APPLICATION_LIMITS.email,
          })}
          {text('phone', 'Téléphone', { type: 'tel', autoComplete: 'tel', max: APPLICATION_LIMITS.phone })}
        </fieldset>
        <fieldset>
          <legend>Votre candidature</legend>
          <div className="field">
            <label htmlFor={ids.file}>CV (obligatoire)</label>
            <p className="field__hint" id={`${ids.file}-hint`}>
              {FILE_PURPOSES.cv.rule}
            </p>
            <input
              id={ids.file}
              type="file"
              accept={FILE_PURPOSES.cv.accept}
              required
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              {...describedBy(`${ids.file}-hint`, `${ids.file}-error`, err('file'))}
            />
            <FieldErrorText id={`${ids.file}-error`} message={err('file')} />
          </div>
          <div className="field">
            <label htmlFor={ids.letterFile}>Lettre de motivation (facultatif)</label>
            <p className="field__hint" id={`${ids.letterFile}-hint`}>
              {FILE_PURPOSES.letter.rule}
            </p>
            <input
              id={ids.letterFile}
              type="file"
              accept={FILE_PURPOSES.letter.accept}
              onChange={(e) => setLetter(e.target.files?.[0] ?? null)}
              {...describedBy(`${ids.letterFile}-hint`, `${ids.letterFile}-error`, err('letterFile'))}
            />
            <FieldErrorText id={`${ids.letterFile}-error`} message={err('letterFile')} />
          </div>
          <div className="field">
            <label htmlFor={ids.message}>Votre message au recruteur (facultatif)</label>
            <textarea
              id={ids.message}
              maxLength={APPLICATION_LIMITS.message}
              value={values.message}
              onChange={set('message')}
              {...describedBy(null, `${ids.message}-error`, err('message'))}
            />
            <FieldErrorText id={`${ids.message}-error`} message={err('message')} />
          </div>
        </fieldset>
        <div className="field">
          <div className="choice">
            <input
              id={ids.consent}
              type="checkbox"
              checked={consent}
              required
              onChange={(e) => setConsent(e.target.checked)}
              {...describedBy(null, `${ids.consent}-error`, err('consent'))}
            />
            <label htmlFor={ids.consent}>{APPLICATION_CONSENT_TEXT} (obligatoire)</label>
          </div>
          <FieldErrorText id={`${ids.consent}-error`} message={err('consent')} />
        </div>
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Envoi en cours…' : 'Envoyer ma candidature'}
          </button>
        </div>
      </form>
    </>
  );
}

/** What the page shows once the application is sent. */
export function ApplicationSentNotice({ sent, what }: { sent: ApplicationSent; what: string }) {
  return (
    <div className="notice notice--success" role="status">
      <h2 className="application-summary__title">Candidature envoyée</h2>
      <p>Votre candidature à {what} a bien été transmise au recruteur.</p>
      {sent.anonymous ? (
        <p>
          Un e-mail de confirmation vient de partir à <strong>{sent.email}</strong> avec un lien pour suivre
          votre candidature ou la retirer. Pensez à vérifier vos courriers indésirables.
        </p>
      ) : (
        <p>
          Un e-mail de confirmation vous a été envoyé. Suivez son avancement dans{' '}
          <Link to={PATHS.applications}>Mes candidatures</Link>.
        </p>
      )}
      <p>
        <Link to="/">Voir d’autres offres</Link>
      </p>
    </div>
  );
}
