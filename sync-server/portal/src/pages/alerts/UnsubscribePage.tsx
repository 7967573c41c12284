/**
 * The one-click unsubscribe link of every alert e-mail (`/alertes/desinscription?jeton=…`): opening
 * it stops the alert at once and says so; the saved search stays in « Mes alertes », where the
 * candidate can turn it back on.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, apiRequest } from '../../api';
import { Link, PATHS } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import './alerts.css';

type State = { status: 'working' } | { status: 'done'; name: string } | { status: 'error'; message: string };

export function UnsubscribePage({ search }: { search: string }) {
  useDocumentTitle('Désinscription des alertes');
  const token = new URLSearchParams(search).get('jeton') ?? '';
  const [state, setState] = useState<State>({ status: 'working' });
  const sent = useRef<string | null>(null);
  const messageRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (sent.current === token) return;
    sent.current = token;
    if (!token) {
      setState({
        status: 'error',
        message: 'Ce lien de désinscription est incomplet : copiez le lien complet depuis l’e-mail reçu.',
      });
      return;
    }
    apiRequest<{ name: string }>('POST', '/api/public/alerts/unsubscribe', { token }).then(
      (r) => setState({ status: 'done', name: r.name }),
      (e: unknown) =>
        setState({
          status: 'error',
          message: e instanceof ApiError ? e.message : 'La désinscription n’a pas pu être faite. Réessayez.',
        }),
    );
  }, [token]);

  useEffect(() => {
    if (state.status !== 'working') messageRef.current?.focus();
  }, [state.status]);

  return (
    <div className="alerts-page">
      <h1>Désinscription des alertes</h1>
      {state.status === 'working' ? <p aria-busy="true">Désinscription en cours…</p> : null}
      {state.status === 'done' ? (
        <div ref={messageRef} tabIndex={-1} className="notice notice--success" role="status">
          <p>
            C’est fait : vous ne recevrez plus l’alerte « {state.name} ». La recherche reste dans{' '}
            <Link to={PATHS.alerts}>Mes alertes</Link>, où vous pouvez la réactiver ou la supprimer.
          </p>
        </div>
      ) : null}
      {state.status === 'error' ? (
        <div ref={messageRef} tabIndex={-1} className="notice notice--error" role="alert">
          <p>{state.message}</p>
          <p>
            Vous pouvez aussi gérer vos alertes depuis <Link to={PATHS.alerts}>Mes alertes</Link> (connexion
            demandée).
          </p>
        </div>
      ) : null}
    </div>
  );
}
