import { useEffect, useRef, useState } from 'react';
import { apiRequest } from '../../api';
import { Link, PATHS } from '../../router';
import { useSession } from '../../session';
import { useDocumentTitle } from '../../useDocumentTitle';
import './account.css';

type State = { status: 'pending' } | { status: 'done'; email: string } | { status: 'error'; message: string };

export function ConfirmEmailPage({ search }: { search: string }) {
  useDocumentTitle('Confirmation de votre adresse e-mail');
  const { session, refresh } = useSession();
  const token = new URLSearchParams(search).get('jeton') ?? '';
  const [state, setState] = useState<State>(
    token
      ? { status: 'pending' }
      : { status: 'error', message: 'Ce lien est incomplet : ouvrez le lien reçu par e-mail en entier.' },
  );
  const sent = useRef('');

  useEffect(() => {
    if (!token || sent.current === token) return;
    sent.current = token;
    apiRequest<{ email: string }>('POST', '/api/candidate/email-confirmation', { token }).then(
      (res) => {
        setState({ status: 'done', email: res.email });
        void refresh();
      },
      (e: unknown) => setState({ status: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  }, [token, refresh]);

  return (
    <div className="account-page">
      <h1>Confirmation de votre adresse e-mail</h1>
      {state.status === 'pending' && <p aria-busy="true">Confirmation en cours…</p>}
      {state.status === 'done' && (
        <div className="notice notice--success" role="status">
          <p>Votre adresse {state.email} est confirmée : vous pouvez postuler aux offres.</p>
          <p>
            {session.status === 'signed-in' ? (
              <Link to={PATHS.account}>Aller à mon compte</Link>
            ) : (
              <Link to={PATHS.login}>Se connecter</Link>
            )}
          </p>
        </div>
      )}
      {state.status === 'error' && (
        <div className="notice notice--error" role="alert">
          <p>{state.message}</p>
          <p>
            {session.status === 'signed-in' ? (
              <Link to={PATHS.account}>Demander un nouveau lien depuis mon compte</Link>
            ) : (
              <Link to={PATHS.login}>Se connecter pour demander un nouveau lien</Link>
            )}
          </p>
        </div>
      )}
    </div>
  );
}
