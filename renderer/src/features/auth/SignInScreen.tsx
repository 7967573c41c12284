import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { LoginResponse, RecruiterSignup } from '../../../../shared/domain/account';
import { MIN_PASSWORD_LENGTH, validateRecruiterSignup } from '../../../../shared/domain/account';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { ApiError, apiFetch, NetworkError } from '../../lib/api';

interface Props {
  onSignedIn: (response: LoginResponse) => Promise<void> | void;
  /** Why the user sees this screen (session expired, offline…). */
  reason?: string | null;
}

const SIGNUP_LABELS: Record<keyof RecruiterSignup, string> = {
  lastName: 'Nom',
  firstName: 'Prénom',
  jobTitle: 'Poste occupé',
  email: 'E-mail',
  password: `Mot de passe (${MIN_PASSWORD_LENGTH} caractères minimum)`,
};

function messageOf(err: unknown): string {
  if (err instanceof ApiError || err instanceof NetworkError) return err.message;
  return 'Une erreur inattendue est survenue. Réessayez.';
}

function SignInForm({ onSignedIn }: { onSignedIn: Props['onSignedIn'] }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!email.trim() || !password) {
      setError('Saisissez votre e-mail et votre mot de passe.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await apiFetch<LoginResponse>('/api/auth/login', {
        method: 'POST',
        body: { email: email.trim(), password },
        quietAuth: true,
      });
      await onSignedIn(res);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  }

  return (
    <form className="auth-form" onSubmit={submit} noValidate aria-labelledby="signin-title">
      <h2 id="signin-title">Me connecter</h2>
      {error ? (
        <div
          className="alert alert--error"
          role="alert"
          tabIndex={-1}
          ref={errorRef}
          data-testid="signin-error"
        >
          {error}
        </div>
      ) : null}
      <FormField id="signin-email" label="E-mail">
        {(p) => (
          <input
            {...p}
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
      </FormField>
      <FormField id="signin-password" label="Mot de passe">
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </FormField>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Connexion…' : 'Se connecter'}
      </button>
    </form>
  );
}

function RegisterForm({ onSignedIn }: { onSignedIn: Props['onSignedIn'] }) {
  const [values, setValues] = useState<RecruiterSignup>({
    lastName: '',
    firstName: '',
    jobTitle: '',
    email: '',
    password: '',
  });
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const generalRef = useRef<HTMLDivElement>(null);
  const [focusTick, setFocusTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus after each failed attempt.
  useEffect(() => {
    if (focusTick === 0) return;
    if (errors.length > 0) summaryRef.current?.focus();
    else if (general) generalRef.current?.focus();
  }, [focusTick]);

  const fieldId = (f: string) => `register-${f}`;
  const errorOf = (f: keyof RecruiterSignup) => errors.find((e) => e.field === f)?.message;

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setGeneral(null);
    const local = validateRecruiterSignup(values);
    if (local.length > 0) {
      setErrors(local);
      setFocusTick((t) => t + 1);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      const res = await apiFetch<LoginResponse>('/api/auth/register', {
        method: 'POST',
        body: { ...values, email: values.email.trim() },
        quietAuth: true,
      });
      await onSignedIn(res);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) setErrors(err.fields);
      else if (err instanceof ApiError && err.code === 'email-taken')
        setErrors([{ field: 'email', message: err.message }]);
      else setGeneral(messageOf(err));
      setFocusTick((t) => t + 1);
      setBusy(false);
    }
  }

  const input = (field: keyof RecruiterSignup, type: string, autoComplete: string) => (
    <FormField id={fieldId(field)} label={SIGNUP_LABELS[field]} required error={errorOf(field)}>
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
    <form className="auth-form" onSubmit={submit} noValidate aria-labelledby="register-title">
      <h2 id="register-title">Créer un compte recruteur</h2>
      <p className="muted">Les champs marqués d’une étoile (*) sont obligatoires.</p>
      <ErrorSummary ref={summaryRef} errors={errors} fieldId={fieldId} />
      {general ? (
        <div className="alert alert--error" role="alert" tabIndex={-1} ref={generalRef}>
          {general}
        </div>
      ) : null}
      {input('lastName', 'text', 'family-name')}
      {input('firstName', 'text', 'given-name')}
      {input('jobTitle', 'text', 'organization-title')}
      {input('email', 'email', 'email')}
      {input('password', 'password', 'new-password')}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Création du compte…' : 'Créer mon compte'}
      </button>
    </form>
  );
}

/** Sign-in and recruiter sign-up (seed 001 « M’inscrire », « Me connecter »). */
export function SignInScreen({ onSignedIn, reason }: Props) {
  const [mode, setMode] = useState<'signin' | 'register'>('signin');
  return (
    <main className="auth" id="contenu">
      <div className="auth__card">
        <header className="auth__brand">
          <p className="brand">Emploi Territoires</p>
          <h1>Espace recruteur</h1>
        </header>
        {reason ? (
          <div className="alert alert--info" role="status">
            {reason}
          </div>
        ) : null}
        {mode === 'signin' ? (
          <SignInForm onSignedIn={onSignedIn} />
        ) : (
          <RegisterForm onSignedIn={onSignedIn} />
        )}
        <p className="auth__switch">
          {mode === 'signin' ? (
            <>
              Pas encore de compte ?{' '}
              <button type="button" className="link-button" onClick={() => setMode('register')}>
                Créer un compte recruteur
              </button>
            </>
          ) : (
            <>
              Déjà un compte ?{' '}
              <button type="button" className="link-button" onClick={() => setMode('signin')}>
                Connectez-vous
              </button>
            </>
          )}
        </p>
      </div>
    </main>
  );
}
