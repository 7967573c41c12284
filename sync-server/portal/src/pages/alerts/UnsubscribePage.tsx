/**
 * The unsubscribe link of every alert e-mail (`/alertes/desinscription?jeton=…`). Opening it only
 * shows which alert it is (`GET /api/public/alerts/unsubscribe/:token`, which changes nothing:
 * mail scanners follow links); the button « Ne plus recevoir cette alerte » unsubscribes. The
 * saved search stays in « Mes alertes », where the candidate can turn it back on. The mail
 * providers' own « Se désabonner » uses the RFC 8058 one-click POST of the e-mail's headers.
 */
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError, apiRequest } from '../../api';
import { Link, PATHS } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import './alerts.css';
import './unsubscribe.css';

interface Subscription {
  name: string;
  active: boolean;
}

type Action =
  | { status: 'idle' }
  | { status: 'sending' }
  | { status: 'done'; name: string }
  | { status: 'error'; message: string };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const messageOf = (error: unknown, fallback: string) =>
  error instanceof ApiError ? error.message : fallback;

function MesAlertes() {
  return <Link to={PATHS.alerts}>Mes alertes</Link>;
}

export function UnsubscribePage({ search }: { search: string }) {
  useDocumentTitle('Désinscription des alertes');
  const token = (new URLSearchParams(search).get('jeton') ?? '').trim();
  const wellFormed = TOKEN.test(token);
  const [loaded, retry] = useLoad(`unsubscribe:${wellFormed ? token : ''}`, (signal) =>
    wellFormed
      ? apiRequest<Subscription>(
          'GET',
          `/api/public/alerts/unsubscribe/${encodeURIComponent(token)}`,
          undefined,
          { signal },
        )
      : Promise.reject(
          new ApiError(
            404,
            'not-found',
            'Ce lien de désinscription n’est pas valide : copiez le lien complet depuis l’e-mail, ou gérez vos alertes depuis « Mes alertes ».',
          ),
        ),
  );
  const [action, setAction] = useState<Action>({ status: 'idle' });
  const messageRef = useRef<HTMLDivElement>(null);

  // A new link (another token) starts over.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the token is what resets the action.
  useEffect(() => setAction({ status: 'idle' }), [token]);

  useEffect(() => {
    if (action.status === 'done' || action.status === 'error') messageRef.current?.focus();
  }, [action.status]);

  const unsubscribe = (event: FormEvent) => {
    event.preventDefault();
    if (action.status === 'sending') return;
    setAction({ status: 'sending' });
    apiRequest<{ name: string }>('POST', '/api/public/alerts/unsubscribe', { token }).then(
      (r) => setAction({ status: 'done', name: r.name }),
      (e: unknown) =>
        setAction({
          status: 'error',
          message: messageOf(e, 'La désinscription n’a pas pu être faite. Réessayez dans un instant.'),
        }),
    );
  };

  let content: ReactNode;
  if (action.status === 'done') {
    content = (
      <div ref={messageRef} tabIndex={-1} className="notice notice--success" role="status">
        <p>
          C’est fait : vous ne recevrez plus l’alerte « {action.name} ». La recherche reste dans{' '}
          <MesAlertes />, où vous pouvez la réactiver ou la supprimer.
        </p>
      </div>
    );
  } else if (loaded.status === 'loading') {
    content = <p aria-busy="true">Recherche de votre alerte…</p>;
  } else if (loaded.status === 'error') {
    const network = loaded.error instanceof ApiError && loaded.error.status === 0;
    content = (
      <div className="notice notice--error" role="alert">
        <p>{messageOf(loaded.error, 'Cette alerte n’a pas pu être chargée. Réessayez dans un instant.')}</p>
        {network ? (
          <p>
            <button type="button" className="button button--secondary" onClick={retry}>
              Réessayer
            </button>
          </p>
        ) : null}
        <p>
          Vous pouvez aussi gérer vos alertes depuis <MesAlertes /> (connexion demandée).
        </p>
      </div>
    );
  } else if (!loaded.data.active) {
    content = (
      <div className="notice notice--info" role="status">
        <p>Vous ne recevez déjà plus l’alerte « {loaded.data.name} » : il n’y a rien d’autre à faire.</p>
        <p>
          Pour la réactiver ou la supprimer, rendez-vous dans <MesAlertes /> (connexion demandée).
        </p>
      </div>
    );
  } else {
    content = (
      <form className="panel unsubscribe-panel" onSubmit={unsubscribe} aria-labelledby="unsubscribe-title">
        <h2 id="unsubscribe-title" className="unsubscribe-panel__title">
          Alerte « {loaded.data.name} »
        </h2>
        <p>
          Vous recevez par e-mail les nouvelles offres de cette recherche. Voulez-vous arrêter cette alerte ?
        </p>
        <p className="field__hint">
          La recherche restera dans <MesAlertes />, où vous pourrez la réactiver. Vos autres alertes ne
          changent pas.
        </p>
        {action.status === 'error' ? (
          <div ref={messageRef} tabIndex={-1} className="notice notice--error" role="alert">
            <p>{action.message}</p>
          </div>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="button" disabled={action.status === 'sending'}>
            {action.status === 'sending' ? 'Désinscription en cours…' : 'Ne plus recevoir cette alerte'}
          </button>
        </div>
      </form>
    );
  }

  return (
    <div className="alerts-page">
      <h1>Désinscription des alertes</h1>
      {content}
    </div>
  );
}
