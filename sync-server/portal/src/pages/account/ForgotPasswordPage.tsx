import { type FormEvent, useState } from 'react';
import { apiRequest } from '../../api';
import { Link, PATHS } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { ErrorSummary, Field, localError } from './forms';
import './account.css';

export function ForgotPasswordPage(_props: { search: string }) {
  useDocumentTitle('Mot de passe oublié');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim()) {
      setError(
        localError('Saisissez l’adresse e-mail de votre compte.', [
          { field: 'email', message: 'Saisissez l’adresse e-mail de votre compte.' },
        ]),
      );
      return;
    }
    setBusy(true);
    try {
      const res = await apiRequest<{ message: string }>('POST', '/api/candidate/password-reset/request', {
        email,
      });
      setError(null);
      setSent(res.message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="account-page">
      <h1>Mot de passe oublié</h1>
      {sent ? (
        <div className="notice notice--success" role="status">
          <p>{sent}</p>
          <p>Le lien est valable une heure. Pensez à regarder dans vos courriers indésirables.</p>
        </div>
      ) : (
        <>
          <p>
            Indiquez l’adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau
            mot de passe.
          </p>
          <ErrorSummary error={error} />
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
            <div className="form__actions">
              <button type="submit" className="button" disabled={busy}>
                Recevoir le lien
              </button>
            </div>
          </form>
        </>
      )}
      <ul className="account-links">
        <li>
          <Link to={PATHS.login}>Retour à la connexion</Link>
        </li>
      </ul>
    </div>
  );
}
