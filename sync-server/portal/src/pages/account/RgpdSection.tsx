/**
 * « Mes données personnelles » in the account settings (RGPD, seeds 003 and 004): download all
 * my data (a zip: `donnees.json` and my files), delete my account and all its data after
 * confirming with my password. Afterwards the session ends and the candidate goes home.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError, apiRequest, fieldError } from '../../api';
import { useSession } from '../../session';
import { ErrorSummary } from '../alerts/ErrorSummary';
import '../alerts/alerts.css';

export function RgpdSection() {
  const id = useId();
  const { signOut } = useSession();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const passwordError = error ? fieldError(error, 'password') : undefined;

  useEffect(() => {
    if (error) summaryRef.current?.focus();
  }, [error]);
  useEffect(() => {
    if (open) passwordRef.current?.focus();
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await apiRequest('DELETE', '/api/candidate/account', { password });
      await signOut();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <section className="panel rgpd-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Mes données personnelles</h2>
      <h3>Télécharger mes données</h3>
      <p>
        Une archive ZIP contenant toutes les données de votre compte (profil, CV, candidatures, alertes) au
        format JSON, et vos fichiers (CV joints, photo).
      </p>
      <p>
        <a className="button button--secondary" href="/api/candidate/export" download>
          Télécharger mes données (ZIP)
        </a>
      </p>
      <h3>Supprimer mon compte</h3>
      <p>
        Sans connexion pendant 2 ans, votre compte est supprimé automatiquement (vous êtes prévenu par e-mail
        30 jours avant). Vous pouvez aussi le supprimer vous-même à tout moment.
      </p>
      {!open ? (
        <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
          Supprimer mon compte…
        </button>
      ) : (
        <form className="form" noValidate onSubmit={submit}>
          <div className="notice notice--error" id={`${id}-warning`}>
            <p>
              <strong>Attention : cette suppression est définitive.</strong> Votre profil, vos CV, vos
              candidatures, vos recherches et alertes ainsi que vos fichiers seront effacés, et les recruteurs
              ne verront plus vos CV ni vos candidatures. Pensez à télécharger vos données avant.
            </p>
          </div>
          {error ? (
            <ErrorSummary
              ref={summaryRef}
              title="Votre compte n’a pas été supprimé"
              errors={passwordError ? [{ message: passwordError, href: `#${id}-password` }] : []}
              fallback={error instanceof ApiError ? error.message : 'Une erreur est survenue. Réessayez.'}
            />
          ) : null}
          <div className="field">
            <label htmlFor={`${id}-password`}>Mot de passe, pour confirmer</label>
            {passwordError ? (
              <p className="field__error" id={`${id}-password-error`}>
                {passwordError}
              </p>
            ) : null}
            <input
              ref={passwordRef}
              id={`${id}-password`}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={passwordError ? true : undefined}
              aria-describedby={`${id}-warning${passwordError ? ` ${id}-password-error` : ''}`}
            />
          </div>
          <div className="form__actions">
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Suppression…' : 'Supprimer définitivement mon compte'}
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setOpen(false);
                setPassword('');
                setError(null);
              }}
            >
              Annuler
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
