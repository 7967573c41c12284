import { type FormEvent, useState } from 'react';
import type { LoginResponse } from '../../../../../shared/domain/account';
import { apiRequest } from '../../api';
import { Link, navigate, PATHS } from '../../router';
import { safeReturnPath, useSession } from '../../session';
import { useDocumentTitle } from '../../useDocumentTitle';
import { ErrorSummary, Field, localError } from './forms';
import './account.css';

export function LoginPage({ search }: { search: string }) {
  useDocumentTitle('Connexion');
  const { session, signedIn } = useSession();
  const params = new URLSearchParams(search);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [recruiter, setRecruiter] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = [
      ...(email.trim() ? [] : [{ field: 'email', message: 'Saisissez votre adresse e-mail.' }]),
      ...(password ? [] : [{ field: 'password', message: 'Saisissez votre mot de passe.' }]),
    ];
    if (missing.length > 0) {
      setError(localError('Saisissez votre e-mail et votre mot de passe.', missing));
      return;
    }
    setBusy(true);
    try {
      const { user } = await apiRequest<LoginResponse>('POST', '/api/auth/login', { email, password });
      signedIn(user);
      setError(null);
      if (user.kind !== 'candidate') setRecruiter(true);
      else navigate(safeReturnPath(search));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (recruiter || (session.status === 'signed-in' && session.user.kind !== 'candidate'))
    return (
      <div className="account-page">
        <h1>Connexion</h1>
        <div className="notice notice--info" role="status">
          <p>
            Ce compte est un compte recruteur ou conseiller. Le portail est réservé aux candidats : utilisez
            le <a href="/workstation/">poste de travail</a>.
          </p>
        </div>
      </div>
    );

  return (
    <div className="account-page">
      <h1>Connexion</h1>
      {params.get('email-modifie') && (
        <div className="notice notice--success" role="status">
          <p>Votre nouvelle adresse e-mail est confirmée. Connectez-vous avec elle.</p>
        </div>
      )}
      {session.status === 'signed-in' && (
        <div className="notice notice--info" role="status">
          <p>
            Vous êtes déjà connecté ({session.user.email}). <Link to={PATHS.account}>Aller à mon compte</Link>
          </p>
        </div>
      )}
      <ErrorSummary error={error} title="Connexion impossible" />
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field field="email" label="Adresse e-mail" error={error}>
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
          )}
        </Field>
        <Field field="password" label="Mot de passe" error={error}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Connexion…' : 'Se connecter'}
          </button>
        </div>
      </form>
      <ul className="account-links">
        <li>
          <Link to={PATHS.forgotPassword}>Mot de passe oublié ?</Link>
        </li>
        <li>
          Pas encore de compte ? <Link to={PATHS.signup}>Créer un compte candidat</Link>
        </li>
      </ul>
    </div>
  );
}
