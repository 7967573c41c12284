import { type FormEvent, useState } from 'react';
import { type LoginResponse, MIN_PASSWORD_LENGTH } from '../../../../../shared/domain/account';
import { apiRequest } from '../../api';
import { Link, PATHS } from '../../router';
import { useSession } from '../../session';
import { useDocumentTitle } from '../../useDocumentTitle';
import { ErrorSummary, Field, localError } from './forms';
import './account.css';

export function ResetPasswordPage({ search }: { search: string }) {
  useDocumentTitle('Nouveau mot de passe');
  const { signedIn } = useSession();
  const token = new URLSearchParams(search).get('jeton') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<LoginResponse['user'] | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = [];
    if (password.length < MIN_PASSWORD_LENGTH)
      fields.push({
        field: 'password',
        message: `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`,
      });
    if (confirm !== password)
      fields.push({ field: 'confirm', message: 'Les deux mots de passe ne sont pas identiques.' });
    if (fields.length > 0) {
      setError(localError('Le nouveau mot de passe ne convient pas.', fields));
      return;
    }
    setBusy(true);
    try {
      const res = await apiRequest<LoginResponse>('POST', '/api/candidate/password-reset', {
        token,
        password,
      });
      setError(null);
      signedIn(res.user);
      setDone(res.user);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!token)
    return (
      <div className="account-page">
        <h1>Nouveau mot de passe</h1>
        <div className="notice notice--error" role="alert">
          <p>
            Ce lien est incomplet : ouvrez le lien reçu par e-mail en entier, ou{' '}
            <Link to={PATHS.forgotPassword}>demandez un nouveau lien</Link>.
          </p>
        </div>
      </div>
    );

  return (
    <div className="account-page">
      <h1>Nouveau mot de passe</h1>
      {done ? (
        <div className="notice notice--success" role="status">
          <p>Votre mot de passe est changé et vous êtes connecté. Vos autres sessions ont été fermées.</p>
          {done.kind === 'candidate' ? (
            <p>
              <Link to={PATHS.account}>Aller à mon compte</Link>
            </p>
          ) : (
            <p>
              Utilisez-le dans le <a href="/workstation/">poste de travail</a>.
            </p>
          )}
        </div>
      ) : (
        <>
          <ErrorSummary error={error} />
          <form className="form" noValidate onSubmit={(e) => void submit(e)}>
            <Field
              field="password"
              label="Nouveau mot de passe"
              hint={`Au moins ${MIN_PASSWORD_LENGTH} caractères.`}
              error={error}
            >
              {(p) => (
                <input
                  {...p}
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  required
                />
              )}
            </Field>
            <Field field="confirm" label="Confirmez le nouveau mot de passe" error={error}>
              {(p) => (
                <input
                  {...p}
                  type="password"
                  autoComplete="new-password"
                  value={confirm}
                  onChange={(e) => setConfirm(e.target.value)}
                  required
                />
              )}
            </Field>
            <div className="form__actions">
              <button type="submit" className="button" disabled={busy}>
                Enregistrer le mot de passe
              </button>
            </div>
          </form>
          <ul className="account-links">
            <li>
              <Link to={PATHS.forgotPassword}>Demander un nouveau lien</Link>
            </li>
          </ul>
        </>
      )}
    </div>
  );
}
