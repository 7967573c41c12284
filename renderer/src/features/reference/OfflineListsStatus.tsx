import { useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { REFERENCE_KINDS, type ReferenceKind, type ReferenceState, referenceCache } from './reference-cache';
import { useReferenceState } from './use-reference-suggestions';

/**
 * « Listes pour la saisie hors connexion »: whether the job titles, communes and NAF activities the
 * forms suggest are on this computer, so that a recruiter going to a job fair without network knows
 * before leaving that « Métier » and « Lieu du poste » will still suggest.
 */

export const REFERENCE_LABELS: Record<ReferenceKind, string> = {
  rome: 'Métiers (ROME)',
  communes: 'Communes',
  naf: 'Activités des entreprises (NAF)',
};

/** One list's state, as the user reads it. */
export function offlineListText(state: ReferenceState): string {
  switch (state.status) {
    case 'ready': {
      const since = state.savedAt ? ` (téléchargée le ${formatDateTime(state.savedAt)})` : '';
      return state.error
        ? `Disponible hors connexion${since} ; la vérification des mises à jour a échoué : ${state.error}`
        : `Disponible hors connexion${since}.`;
    }
    case 'loading':
      return 'Téléchargement en cours…';
    case 'missing':
      return state.error
        ? `Pas encore sur cet ordinateur : ${state.error} Elle sera téléchargée à la prochaine connexion.`
        : 'Pas encore sur cet ordinateur : elle sera téléchargée à la prochaine connexion.';
    default:
      return 'Pas encore vérifiée.';
  }
}

export function OfflineListsStatus() {
  // Each list is read from this computer, or downloaded when it is not there yet.
  const states: Record<ReferenceKind, ReferenceState> = {
    rome: useReferenceState('rome'),
    communes: useReferenceState('communes'),
    naf: useReferenceState('naf'),
  };
  const [checking, setChecking] = useState(false);
  const busy = checking || REFERENCE_KINDS.some((k) => states[k].status === 'loading');
  return (
    <div className="offline-lists">
      <h3 id="offline-lists-title">Listes pour la saisie hors connexion</h3>
      <ul aria-labelledby="offline-lists-title">
        {REFERENCE_KINDS.map((kind) => (
          <li key={kind} data-testid={`reference-status-${kind}`} data-status={states[kind].status}>
            <strong>{REFERENCE_LABELS[kind]}</strong> : {offlineListText(states[kind])}
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => {
          setChecking(true);
          void referenceCache
            .refresh()
            .catch(() => undefined)
            .finally(() => setChecking(false));
        }}
      >
        {busy ? 'Vérification…' : 'Vérifier les mises à jour'}
      </button>
    </div>
  );
}
