/** « Paramètres »: change of e-mail (confirmed by a link, seed 003), change of password, personal data. */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { MIN_PASSWORD_LENGTH } from '../../../../../shared/domain/account';
import { apiRequest } from '../../api';
import { navigate, PATHS } from '../../router';
import { useSession } from '../../session';
import { ErrorSummary, Field, localError } from './forms';
import { RgpdSection } from './RgpdSection';

function useFocusOnShow(show: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (show) ref.current?.focus();
  }, [show]);
  return ref;
}

/** Opened from the e-mailed link `?changement-email=…`: confirms, then the candidate signs in again. */
function EmailChangeConfirmation({ token }: { token: string }) {
  const { refresh } = useSession();
  const [error, setError] = useState<string | null>(null);
  const sent = useRef('');
  useEffect(() => {
    if (sent.current === token) return;
    sent.current = token;
    apiRequest('POST', '/api/account/email/confirm', { token }).then(
      () => {
        navigate(`${PATHS.login}?email-modifie=1`);
        void refresh();
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [token, refresh]);
  return error ? (
    <div className="notice notice--error" role="alert">
      <p>{error}</p>
    </div>
  ) : (
    <p aria-busy="true">Confirmation de votre nouvelle adresse…</p>
  );
}

function EmailChange() {
  const { session } = useSession();
  const [newEmail, setNewEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const doneRef = useFocusOnShow(!!pending);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = [
      ...(newEmail.trim() ? [] : [{ field: 'newEmail', message: 'Saisissez la nouvelle adresse e-mail.' }]),
      ...(password ? [] : [{ field: 'password', message: 'Saisissez votre mot de passe actuel.' }]),
    ];
    if (fields.length > 0) {
      setError(localError('Le changement d’adresse n’a pas été demandé.', fields));
      return;
    }
    setBusy(true);
    try {
      const res = await apiRequest<{ pendingEmailChange: { newEmail: string } }>(
        'POST',
        '/api/account/email',
        {
          newEmail,
          password,
        },
      );
      setError(null);
      setPassword('');
      setPending(res.pendingEmailChange.newEmail);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="account-section" aria-labelledby="titre-email">
      <h2 id="titre-email">Modifier mon adresse e-mail</h2>
      <p>Adresse actuelle : {session.user?.email}</p>
      {pending && (
        <div className="notice notice--success" role="status" tabIndex={-1} ref={doneRef}>
          <p>
            Un lien de confirmation a été envoyé à {pending}. Ouvrez-le pour valider la nouvelle adresse :
            vous serez alors déconnecté et vous vous reconnecterez avec elle. D’ici là, l’adresse actuelle
            reste valable.
          </p>
        </div>
      )}
      <ErrorSummary error={error} title="Le changement d’adresse n’a pas été demandé" />
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field
          field="newEmail"
          label="Nouvelle adresse e-mail"
          hint="Vérifiez-la bien : le lien de confirmation y sera envoyé."
          error={error}
        >
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="email"
              value={newEmail}
              onChange={(e) => setNewEmail(e.target.value)}
            />
          )}
        </Field>
        <Field field="password" label="Mot de passe actuel" error={error}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            Modifier mon adresse e-mail
          </button>
        </div>
      </form>
    </section>
  );
}

function PasswordChange() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const doneRef = useFocusOnShow(done);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = [];
    if (!currentPassword)
      fields.push({ field: 'currentPassword', message: 'Saisissez votre mot de passe actuel.' });
    if (newPassword.length < MIN_PASSWORD_LENGTH)
      fields.push({
        field: 'newPassword',
        message: `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`,
      });
    if (confirm !== newPassword)
      fields.push({ field: 'confirmPassword', message: 'Les deux mots de passe ne sont pas identiques.' });
    if (fields.length > 0) {
      setError(localError('Le mot de passe n’a pas été modifié.', fields));
      return;
    }
    setBusy(true);
    try {
      await apiRequest('POST', '/api/account/password', { currentPassword, newPassword });
      setError(null);
      setCurrent('');
      setNew('');
      setConfirm('');
      setDone(true);
    } catch (e) {
      setDone(false);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="account-section" aria-labelledby="titre-mdp">
      <h2 id="titre-mdp">Modifier mon mot de passe</h2>
      {done && (
        <div className="notice notice--success" role="status" tabIndex={-1} ref={doneRef}>
          <p>Votre mot de passe est modifié. Vos autres sessions ont été fermées.</p>
        </div>
      )}
      <ErrorSummary error={error} title="Le mot de passe n’a pas été modifié" />
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field field="currentPassword" label="Mot de passe actuel" error={error}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={currentPassword}
              onChange={(e) => setCurrent(e.target.value)}
            />
          )}
        </Field>
        <Field
          field="newPassword"
          label="Nouveau mot de passe"
          hint={`Au moins ${MIN_PASSWORD_LENGTH} caractères.`}
          error={error}
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={newPassword}
              onChange={(e) => setNew(e.target.value)}
            />
          )}
        </Field>
        <Field field="confirmPassword" label="Confirmez le nouveau mot de passe" error={error}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          )}
        </Field>
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            Modifier mon mot de passe
          </button>
        </div>
      </form>
    </section>
  );
}

export function SettingsSection({ search }: { search: string }) {
  const token = new URLSearchParams(search).get('changement-email');
  return (
    <div>
      {token && <EmailChangeConfirmation token={token} />}
      <EmailChange />
      <PasswordChange />
      <RgpdSection />
    </div>
  );
}
