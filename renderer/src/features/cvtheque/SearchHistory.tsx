import type { SearchDoc } from '../../../../shared/schemas/search.schema';
import { formatDateTime, plural } from '../../lib/format';

interface Props {
  searches: readonly SearchDoc[] | undefined;
  onRun: (search: SearchDoc) => void;
  onStar: (search: SearchDoc, favourite: boolean) => void;
  onDelete: (search: SearchDoc) => void;
}

export const FAVOURITE_ALERT_TEXT = 'Vous recevrez une alerte si de nouveaux CV correspondent';

function SearchItem({ s, onRun, onStar, onDelete }: { s: SearchDoc } & Omit<Props, 'searches'>) {
  const source =
    s.resultSource === 'local' ? 'sur ce poste' : s.resultSource === 'serveur' ? 'sur le serveur' : '';
  return (
    <li className="cv-history__item" data-testid="search-entry" data-favourite={s.favourite ? 'oui' : 'non'}>
      <div className="cv-history__main">
        <button
          type="button"
          className="link-button cv-history__label"
          onClick={() => onRun(s)}
          aria-label={`Relancer la recherche « ${s.label} »`}
        >
          {s.label}
        </button>
        <p className="muted small">
          {formatDateTime(s.lastRunAt)} · {s.resultCount} {plural(s.resultCount, 'CV trouvé', 'CV trouvés')}
          {source ? ` ${source}` : ''}
          {s.runCount > 1 ? ` · lancée ${s.runCount} fois` : ''}
          {s.favourite && s.lastAlertAt
            ? ` · dernière alerte le ${formatDateTime(s.lastAlertAt)}${s.lastAlertCount ? ` (${s.lastAlertCount} nouveaux CV)` : ''}`
            : ''}
        </p>
      </div>
      <div className="cv-history__actions">
        <button
          type="button"
          className={`button button--small ${s.favourite ? 'button--primary' : 'button--secondary'}`}
          aria-pressed={s.favourite}
          aria-label={`Favorite : « ${s.label} »`}
          title={s.favourite ? 'Retirer des favorites' : `Ajouter aux favorites. ${FAVOURITE_ALERT_TEXT}.`}
          onClick={() => onStar(s, !s.favourite)}
        >
          <span aria-hidden="true">{s.favourite ? '★' : '☆'}</span> Favorite
        </button>
        <button
          type="button"
          className="button button--small button--danger-outline"
          aria-label={`Supprimer la recherche « ${s.label} »`}
          onClick={() => onDelete(s)}
        >
          Supprimer
        </button>
      </div>
    </li>
  );
}

/**
 * The search history (seed 001 « Historique de recherche »): favourites first, then the other
 * searches, most recent first. A search runs again in one click.
 */
export function SearchHistory({ searches, onRun, onStar, onDelete }: Props) {
  const favourites = (searches ?? []).filter((s) => s.favourite);
  const others = (searches ?? []).filter((s) => !s.favourite);
  return (
    <section className="cv-history panel" aria-labelledby="cv-history-title" data-testid="search-history">
      <h2 id="cv-history-title">Mes recherches de CV</h2>
      <p className="muted small">
        Retrouvez vos précédentes recherches et vos recherches favorites. Cliquez sur une recherche pour la
        relancer. {FAVOURITE_ALERT_TEXT} à vos recherches favorites.
      </p>
      <h3>Mes recherches favorites</h3>
      {favourites.length === 0 ? (
        <p className="muted">Vous n’avez pas encore sauvegardé de recherche.</p>
      ) : (
        <ul className="cv-history__list" data-testid="favourite-searches">
          {favourites.map((s) => (
            <SearchItem key={s.id} s={s} onRun={onRun} onStar={onStar} onDelete={onDelete} />
          ))}
        </ul>
      )}
      <h3>Historique de mes recherches</h3>
      {searches === undefined ? (
        <p>Chargement de l’historique…</p>
      ) : others.length === 0 ? (
        <p className="muted">Aucune autre recherche pour l’instant.</p>
      ) : (
        <ul className="cv-history__list">
          {others.slice(0, 50).map((s) => (
            <SearchItem key={s.id} s={s} onRun={onRun} onStar={onStar} onDelete={onDelete} />
          ))}
        </ul>
      )}
    </section>
  );
}
