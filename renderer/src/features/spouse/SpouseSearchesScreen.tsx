import { useCallback, useEffect, useRef, useState } from 'react';
import {
  SPOUSE_SEARCH_STATUS_LABELS,
  type SpouseSearchSummary,
} from '../../../../shared/domain/spouse-search';
import { useSession } from '../../app/session-context';
import { ApiError, apiFetch, NetworkError } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { useOnline } from '../organisations/use-organisations';
import './spouse.css';

const STATUS_CLASS: Record<SpouseSearchSummary['status'], string> = {
  en_ligne: 'status--info',
  retiree: 'status--muted',
  pourvue: 'status--success',
};

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** « Rapprochements de conjoints »: the searches registered by the organisation and what became of them. */
export function SpouseSearchesScreen() {
  const { sync, navigate, announce } = useSession();
  const online = useOnline(sync);
  const [searches, setSearches] = useState<SpouseSearchSummary[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = 'Rapprochements de conjoints — Poste recruteur';
    titleRef.current?.focus();
  }, []);

  const load = useCallback(async () => {
    try {
      const res = await apiFetch<{ searches: SpouseSearchSummary[] }>('/api/spouse-searches');
      setSearches(res.searches);
      setFailure(null);
    } catch (error) {
      setFailure(
        error instanceof NetworkError
          ? 'Hors ligne : le suivi des rapprochements de conjoints se lit sur le serveur. Reconnectez-vous pour le voir.'
          : error instanceof ApiError
            ? error.message
            : 'Le suivi n’a pas pu être chargé : réessayez.',
      );
    }
  }, []);

  useEffect(() => {
    if (online) void load();
  }, [online, load]);

  async function close(s: SpouseSearchSummary, status: 'retiree' | 'pourvue') {
    setBusy(s.id);
    try {
      const updated = await apiFetch<SpouseSearchSummary>(`/api/spouse-searches/${s.id}/close`, {
        method: 'POST',
        body: { status },
      });
      setSearches((list) => (list ?? []).map((x) => (x.id === s.id ? updated : x)));
      announce(
        `Recherche de ${s.firstName} ${s.lastName} : ${SPOUSE_SEARCH_STATUS_LABELS[updated.status].toLowerCase()}, retirée de la CVthèque.`,
      );
    } catch (error) {
      setFailure(error instanceof Error ? error.message : 'La modification a échoué : réessayez.');
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="spouse" aria-labelledby="spouse-list-title">
      <h1 id="spouse-list-title" ref={titleRef} tabIndex={-1}>
        Rapprochements de conjoints
      </h1>
      <p>
        Les recherches d’emploi des conjoints des personnes que vous avez embauchées, mises en ligne dans la
        CVthèque avec leur accord. Pour en ajouter une, ouvrez une candidature « Embauchée » dans « Mes
        candidats » et choisissez « Rapprochement de conjoints… ».
      </p>
      {!online ? (
        <p className="notice notice--info">
          Vous êtes hors ligne : ce suivi se lit sur le serveur et s’affichera au retour du réseau.
        </p>
      ) : null}
      {failure ? (
        <p className="notice notice--error" role="alert">
          {failure}
        </p>
      ) : null}
      {searches === null && online && !failure ? <p aria-live="polite">Chargement…</p> : null}
      {searches && searches.length === 0 ? (
        <p className="muted">Aucune recherche d’emploi de conjoint enregistrée pour le moment.</p>
      ) : null}
      {searches && searches.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="spouse-searches">
            <caption className="visually-hidden">Recherches d’emploi de conjoints et leur suivi</caption>
            <thead>
              <tr>
                <th scope="col">Conjoint</th>
                <th scope="col">Emploi recherché</th>
                <th scope="col">Personne embauchée</th>
                <th scope="col">Statut</th>
                <th scope="col">Suivi</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {searches.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    {s.firstName} {s.lastName}
                    <br />
                    <span className="small muted">{[s.email, s.phone].filter(Boolean).join(' · ')}</span>
                  </th>
                  <td>
                    {s.appellationLabel}
                    <br />
                    <span className="small muted">
                      {s.communes.map((c) => c.name).join(', ')}
                      {s.radiusKm ? ` (${s.radiusKm} km)` : ''}
                    </span>
                  </td>
                  <td>
                    {s.hiredName || '—'}
                    {s.offerTitle ? <span className="small muted"> · {s.offerTitle}</span> : null}
                  </td>
                  <td>
                    <span className={`status ${STATUS_CLASS[s.status]}`}>
                      {SPOUSE_SEARCH_STATUS_LABELS[s.status]}
                    </span>
                    <br />
                    <span className="small muted">
                      Enregistrée le {formatDate(s.createdAt)} par {s.createdByName}
                      {s.claimedAt ? ` · reprise par la personne le ${formatDate(s.claimedAt)}` : ''}
                    </span>
                  </td>
                  <td>
                    {plural(s.proposals, 'proposition', 'propositions')} d’employeurs
                    <br />
                    {plural(s.applications, 'candidature', 'candidatures')} avec ce CV
                    <br />
                    <span className="small muted">
                      {s.emailSent ? 'E-mail de suivi envoyé' : 'Pas d’e-mail (téléphone seul)'}
                    </span>
                  </td>
                  <td>
                    {s.status === 'en_ligne' ? (
                      <div className="spouse-actions">
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => navigate({ name: 'cv', cvId: s.cvId, from: 'cvtheque' })}
                        >
                          Voir le CV
                          <span className="visually-hidden">
                            {' '}
                            de {s.firstName} {s.lastName}
                          </span>
                        </button>
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          disabled={!online || busy === s.id}
                          onClick={() => void close(s, 'pourvue')}
                        >
                          Emploi trouvé
                          <span className="visually-hidden">
                            {' '}
                            par {s.firstName} {s.lastName}
                          </span>
                        </button>
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          disabled={!online || busy === s.id}
                          onClick={() => void close(s, 'retiree')}
                        >
                          Retirer
                          <span className="visually-hidden">
                            {' '}
                            la recherche de {s.firstName} {s.lastName}
                          </span>
                        </button>
                      </div>
                    ) : (
                      <span className="muted small">Hors de la CVthèque</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
