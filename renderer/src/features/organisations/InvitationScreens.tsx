import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import {
  type LoginResponse,
  MIN_PASSWORD_LENGTH,
  validateRecruiterSignup,
} from '../../../../shared/domain/account';
import { useSession } from '../../app/session-context';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { ApiError, apiFetch } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { errorText } from './OrganisationScreen';
import {
  acceptInvitation,
  type InvitationPreview,
  previewInvitation,
  type SignupFields,
} from './organisation-api';
import { kindLabel } from './organisation-form';
import { clearPendingLink, type PendingLink, readPendingLink } from './pending-link';
import './organisations.css';

function usePreview(token: string) {
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    previewInvitation(token)
      .then((r) => {
        if (!cancelled) setPreview(r.invitation);
      })
      .catch((err: unknown) => {
        if (!cancelled) setError(errorText(err, 'Cette invitation n’a pas pu être lue.'));
      });
    return () => {
      cancelled = true;
    };
  }, [token]);
  return { preview, error };
}

function PreviewText({ preview }: { preview: InvitationPreview }) {
  return (
    <p>
      {preview.invitedBy ? <strong>{preview.invitedBy}</strong> : 'Un membre'} vous invite à rejoindre{' '}
      <strong>« {preview.organisationName} »</strong> ({kindLabel(preview.organisationKind)}) sur Emploi
      Territoires. Invitation envoyée à <strong>{preview.email}</strong>
      {preview.status === 'valide' ? `, valable jusqu’au ${formatDate(preview.expiresAt)}.` : '.'}
    </p>
  );
}

/** Signed in: the invitation of the link, and « Rejoindre » when it is for this account. */
export function InvitationScreen({ token }: { token: string }) {
  const { user, navigate, announce, refreshUser, switchOrganisation } = useSession();
  const { preview, error } = usePreview(token);
  const [busy, setBusy] = useState(false);
  const [acceptError, setAcceptError] = useState<string | null>(null);
  const mine = preview && preview.email.toLowerCase() === user.email.toLowerCase();

  async function accept() {
    setBusy(true);
    setAcceptError(null);
    try {
      const res = await acceptInvitation(token);
      clearPendingLink();
      await refreshUser();
      if (res.organisation) switchOrganisation(res.organisation.id);
      announce(
        res.alreadyMember
          ? `Vous êtes déjà membre de « ${preview?.organisationName} ».`
          : `Vous avez rejoint « ${preview?.organisationName} ».`,
      );
      navigate({ name: 'organisation' });
    } catch (err) {
      setAcceptError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="invitation-title" className="org-screen">
      <div className="page-header">
        <h1 id="invitation-title" tabIndex={-1}>
          Invitation à rejoindre une organisation
        </h1>
      </div>
      <div className="card org-section" data-testid="invitation-card">
        {error ? (
          <div className="alert alert--error" role="alert">
            {error}
          </div>
        ) : !preview ? (
          <p>Chargement de l’invitation…</p>
        ) : (
          <>
            <PreviewText preview={preview} />
            {preview.status !== 'valide' ? (
              <div className="alert alert--warning" role="status">
                {preview.message}
              </div>
            ) : !mine ? (
              <div className="alert alert--warning" role="status">
                Cette invitation a été envoyée à {preview.email} ; vous êtes connecté avec {user.email}.
                Déconnectez-vous puis connectez-vous avec le compte de l’adresse invitée, ou demandez une
                invitation pour votre adresse.
              </div>
            ) : null}
            {acceptError ? (
              <div className="alert alert--error" role="alert">
                {acceptError}
              </div>
            ) : null}
            <div className="form-actions">
              {preview.status === 'valide' && mine ? (
                <button
                  type="button"
                  className="button button--primary"
                  disabled={busy}
                  onClick={() => void accept()}
                >
                  {busy ? 'Un instant…' : `Rejoindre « ${preview.organisationName} »`}
                </button>
              ) : null}
              <button
                type="button"
                className="button button--ghost"
                onClick={() => {
                  clearPendingLink();
                  navigate({ name: 'organisation' });
                }}
              >
                {preview.status === 'valide' && mine ? 'Plus tard' : 'Fermer'}
              </button>
            </div>
          </>
        )}
      </div>
    </section>
  );
}

const SIGNUP_LABELS: Record<keyof SignupFields, string> = {
  lastName: 'Nom',
  firstName: 'Prénom',
  jobTitle: 'Poste occupé',
  password: `Mot de passe (${MIN_PASSWORD_LENGTH} caractères minimum)`,
};

/** Signed out, invitation link: preview, then create the account and join, or sign in to accept. */
function SignedOutInvitation({
  token,
  onSignedIn,
  onSignIn,
}: {
  token: string;
  onSignedIn: (res: LoginResponse) => Promise<void> | void;
  onSignIn: (reason: string | null) => void;
}) {
  const { preview, error } = usePreview(token);
  const [values, setValues] = useState<SignupFields>({
    lastName: '',
    firstName: '',
    jobTitle: '',
    password: '',
  });
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (tick > 0) summaryRef.current?.focus();
  }, [tick]);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!preview) return;
    setGeneral(null);
    const local = validateRecruiterSignup({ ...values, email: preview.email });
    if (local.length > 0) {
      setErrors(local);
      setTick((t) => t + 1);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      const res = await acceptInvitation(token, values);
      clearPendingLink();
      if (res.token) await onSignedIn({ token: res.token, user: res.user });
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) {
        setErrors(err.fields);
        setTick((t) => t + 1);
      } else setGeneral(errorText(err));
      setBusy(false);
    }
  }

  const input = (field: keyof SignupFields, type: string, autoComplete: string) => (
    <FormField
      id={`invite-signup-${field}`}
      label={SIGNUP_LABELS[field]}
      required
      error={errors.find((e) => e.field === field)?.message}
    >
      {(p) => (
        <input
          {...p}
          type={type}
          autoComplete={autoComplete}
          value={values[field]}
          onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
        />
      )}
    </FormField>
  );

  return (
    <main className="auth" id="contenu">
      <div className="auth__card">
        <header className="auth__brand">
          <p className="brand">Emploi Territoires</p>
          <h1>Invitation</h1>
        </header>
        {error ? (
          <>
            <div className="alert alert--error" role="alert">
              {error}
            </div>
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                clearPendingLink();
                onSignIn(null);
              }}
            >
              Aller à la connexion
            </button>
          </>
        ) : !preview ? (
          <p>Chargement de l’invitation…</p>
        ) : (
          <>
            <PreviewText preview={preview} />
            {preview.status !== 'valide' ? (
              <>
                <div className="alert alert--warning" role="status">
                  {preview.message}
                </div>
                <button
                  type="button"
                  className="button button--primary"
                  onClick={() => {
                    clearPendingLink();
                    onSignIn(null);
                  }}
                >
                  Aller à la connexion
                </button>
              </>
            ) : preview.accountExists ? (
              <>
                <p>Un compte existe déjà avec cette adresse : connectez-vous pour accepter l’invitation.</p>
                <button
                  type="button"
                  className="button button--primary"
                  onClick={() =>
                    onSignIn(
                      `Connectez-vous avec ${preview.email} : l’invitation à rejoindre « ${preview.organisationName} » s’affichera ensuite.`,
                    )
                  }
                >
                  Me connecter pour accepter
                </button>
              </>
            ) : (
              <form className="auth-form" onSubmit={submit} noValidate aria-labelledby="invite-signup-title">
                <h2 id="invite-signup-title">Créer mon compte et rejoindre l’organisation</h2>
                <p className="muted">
                  Votre identifiant sera <strong>{preview.email}</strong>. Les champs marqués d’une étoile (*)
                  sont obligatoires.
                </p>
                <ErrorSummary ref={summaryRef} errors={errors} fieldId={(f) => `invite-signup-${f}`} />
                {general ? (
                  <div className="alert alert--error" role="alert">
                    {general}
                  </div>
                ) : null}
                {input('lastName', 'text', 'family-name')}
                {input('firstName', 'text', 'given-name')}
                {input('jobTitle', 'text', 'organization-title')}
                {input('password', 'password', 'new-password')}
                <button type="submit" className="button button--primary" disabled={busy}>
                  {busy ? 'Création du compte…' : 'Créer mon compte et rejoindre'}
                </button>
                <p className="auth__switch">
                  Vous avez déjà un compte avec une autre adresse ?{' '}
                  <button type="button" className="link-button" onClick={() => onSignIn(null)}>
                    Me connecter
                  </button>
                </p>
              </form>
            )}
          </>
        )}
      </div>
    </main>
  );
}

async function confirmEmailChange(token: string): Promise<string> {
  const res = await apiFetch<{ email: string }>('/api/account/email/confirm', {
    method: 'POST',
    body: { token },
    quietAuth: true,
  });
  return res.email;
}

function useEmailConfirmation(token: string) {
  const [state, setState] = useState<{ email?: string; error?: string } | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    confirmEmailChange(token)
      .then((email) => setState({ email }))
      .catch((err: unknown) => setState({ error: errorText(err, 'L’adresse n’a pas pu être confirmée.') }))
      .finally(() => clearPendingLink());
  }, [token]);
  return state;
}

function EmailChangeResult({
  state,
  action,
}: {
  state: { email?: string; error?: string } | null;
  action: ReactNode;
}) {
  return (
    <div data-testid="email-change-result">
      {!state ? (
        <p>Confirmation de votre nouvelle adresse…</p>
      ) : state.email ? (
        <div className="alert alert--info" role="status">
          Votre adresse e-mail est désormais <strong>{state.email}</strong>. Vous avez été déconnecté :
          reconnectez-vous avec cette adresse.
        </div>
      ) : (
        <div className="alert alert--error" role="alert">
          {state.error}
        </div>
      )}
      {state ? action : null}
    </div>
  );
}

/** Signed in when the confirmation link is opened: the change signs every session out. */
export function EmailChangeScreen({ token }: { token: string }) {
  const { signOut } = useSession();
  const state = useEmailConfirmation(token);
  return (
    <section aria-labelledby="email-change-title" className="org-screen">
      <div className="page-header">
        <h1 id="email-change-title" tabIndex={-1}>
          Confirmation de votre adresse e-mail
        </h1>
      </div>
      <div className="card org-section">
        <EmailChangeResult
          state={state}
          action={
            <div className="form-actions">
              <button type="button" className="button button--primary" onClick={() => void signOut()}>
                {state?.email ? 'Me reconnecter' : 'Continuer'}
              </button>
            </div>
          }
        />
      </div>
    </section>
  );
}

function SignedOutEmailChange({
  token,
  onSignIn,
}: {
  token: string;
  onSignIn: (reason: string | null) => void;
}) {
  const state = useEmailConfirmation(token);
  return (
    <main className="auth" id="contenu">
      <div className="auth__card">
        <header className="auth__brand">
          <p className="brand">Emploi Territoires</p>
          <h1>Nouvelle adresse e-mail</h1>
        </header>
        <EmailChangeResult
          state={state}
          action={
            <button
              type="button"
              className="button button--primary"
              onClick={() =>
                onSignIn(state?.email ? `Connectez-vous avec votre nouvelle adresse, ${state.email}.` : null)
              }
            >
              Me connecter
            </button>
          }
        />
      </div>
    </main>
  );
}

/**
 * Before sign-in: a link from an e-mail (invitation, new address) is handled first; then the usual
 * sign-in screen (`children`), with the reason the link gave.
 */
export function SignedOutLinkGate({
  onSignedIn,
  children,
}: {
  onSignedIn: (res: LoginResponse) => Promise<void> | void;
  children: (reason: string | null) => ReactNode;
}) {
  const [link] = useState<PendingLink | null>(() => readPendingLink());
  const [signIn, setSignIn] = useState<{ reason: string | null } | null>(link ? null : { reason: null });
  if (!link || signIn) return <>{children(signIn?.reason ?? null)}</>;
  if (link.kind === 'email-change')
    return <SignedOutEmailChange token={link.token} onSignIn={(reason) => setSignIn({ reason })} />;
  return (
    <SignedOutInvitation
      token={link.token}
      onSignedIn={onSignedIn}
      onSignIn={(reason) => setSignIn({ reason })}
    />
  );
}
