/**
 * « Ajouter à ma sélection » on an offer (seed 000/002 offer binder): a toggle button for a
 * signed-in candidate; anyone else is sent to sign in, and back to the offer afterwards.
 */
import { useEffect, useState } from 'react';
import { Link } from '../../router';
import { loginHref, useSession } from '../../session';
import { errorMessage } from './application-ui';
import { addSelection, fetchSelections, removeSelections } from './applications-api';
import './applications.css';

export function SelectionButton({ offerId }: { offerId: string }) {
  const { session } = useSession();
  const [selected, setSelected] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const candidate = session.status === 'signed-in' && session.user.kind === 'candidate';

  useEffect(() => {
    if (!candidate) return;
    const controller = new AbortController();
    fetchSelections(controller.signal).then(
      (list) => setSelected(list.some((s) => s.offerId === offerId)),
      () => setSelected(false),
    );
    return () => controller.abort();
  }, [candidate, offerId]);

  if (session.status === 'loading') return null;
  if (session.status === 'signed-in' && session.user.kind !== 'candidate') return null;
  if (!candidate) {
    const here = window.location.pathname + window.location.search;
    return (
      <Link to={loginHref(here)} className="button button--secondary selection-button">
        Ajouter à ma sélection<span className="visually-hidden"> (connexion nécessaire)</span>
      </Link>
    );
  }
  if (selected === null) return null;

  const toggle = async () => {
    setBusy(true);
    setMessage(null);
    try {
      if (selected) await removeSelections([offerId]);
      else await addSelection(offerId);
      setSelected(!selected);
      setMessage({
        kind: 'ok',
        text: selected ? 'Offre retirée de votre sélection.' : 'Offre ajoutée à « Mes sélections ».',
      });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="selection-button">
      <button type="button" className="button button--secondary" disabled={busy} onClick={toggle}>
        {selected ? 'Retirer de ma sélection' : 'Ajouter à ma sélection'}
      </button>
      <span role="status" className={message?.kind === 'error' ? 'field__error' : 'visually-hidden'}>
        {message?.text ?? ''}
      </span>
    </span>
  );
}
