import {
  CLOSE_REASON_LABELS,
  type PublicOfferHit,
  SEARCH_SORT_LABELS,
  SEARCH_SORTS,
  type SearchSort,
} from '../../../../../shared/domain/offer-search';
import { contractLabel, formatDate, formatOfferCount, formatPlace, formatSalary } from '../../format';
import { Link, navigate, offerHref } from '../../router';
import type { SearchResponse } from '../../search-api';

const distance = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** Relevance as a gauge (seed 002 « jauge plus ou moins pleine »), with its value in words too. */
function Gauge({ score }: { score: number }) {
  const percent = Math.round(Math.max(0, Math.min(1, score)) * 100);
  return (
    <p className="gauge">
      <span className="gauge__label">Pertinence : {percent} %</span>
      <span className="gauge__track" aria-hidden="true">
        <span className="gauge__bar" style={{ width: `${percent}%` }} />
      </span>
    </p>
  );
}

function HitCard({ hit, from }: { hit: PublicOfferHit; from: string }) {
  const titleId = `offre-${hit.id}`;
  const salary = formatSalary(hit);
  const published = formatDate(hit.publishedAt);
  return (
    <article className="offer-card offer-card--hit" aria-labelledby={titleId}>
      <h3 className="offer-card__title" id={titleId}>
        <Link
          to={offerHref(hit.id)}
          state={{ from }}
          title={hit.number ? `N° d’offre : ${hit.number}` : undefined}
        >
          {hit.title}
        </Link>
      </h3>
      <Gauge score={hit.score} />
      <p className="offer-card__company">{hit.companyName}</p>
      <p className="offer-card__place">
        {formatPlace(hit.city, hit.postalCode)}
        {hit.distanceKm !== undefined && (
          <span className="offer-card__distance"> – à {distance.format(hit.distanceKm)} km</span>
        )}
      </p>
      {hit.closeReasons && hit.closeReasons.length > 0 && (
        <p className="offer-card__close">
          Proche de vos critères : {hit.closeReasons.map((r) => CLOSE_REASON_LABELS[r]).join(', ')}
        </p>
      )}
      <div className="tags">
        {hit.contractTypes.length > 0 && (
          <ul className="tags__list" aria-label="Types de contrat">
            {hit.contractTypes.map((type) => (
              <li key={type} className="tag">
                {contractLabel(type)}
              </li>
            ))}
          </ul>
        )}
        {hit.seasonal && <span className="tag tag--seasonal">Offre saisonnière</span>}
      </div>
      {salary && <p className="offer-card__salary">Salaire : {salary}</p>}
      {published && (
        <p className="offer-card__date">
          Publiée le <time dateTime={hit.publishedAt}>{published}</time>
        </p>
      )}
      {hit.number && <p className="offer-card__number">Offre n° {hit.number}</p>}
    </article>
  );
}

function Section({
  id,
  title,
  hits,
  from,
}: {
  id: string;
  title: string;
  hits: PublicOfferHit[];
  from: string;
}) {
  return (
    <section className="search-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {hits.length > 0 && (
        <ul className="offer-list">
          {hits.map((hit) => (
            <li key={hit.id}>
              <HitCard hit={hit} from={from} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The results of seed 002: « N offres répondent exactement à vos critères », then « N offres
 * sont proches de vos critères », a sort choice and paging (150 results at most).
 */
export function SearchResults({
  result,
  hasCriteria,
  sort,
  withDistance,
  hrefFor,
  here,
}: {
  result: SearchResponse;
  hasCriteria: boolean;
  sort: SearchSort;
  withDistance: boolean;
  /** The address of this search at another page or sort. */
  hrefFor: (page: number, sort: SearchSort) => string;
  here: string;
}) {
  const { page, pageSize, total, exactTotal, closeTotal } = result;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const shownExact = Math.min(exactTotal, total);
  const shownClose = Math.max(0, total - shownExact);
  const capped = exactTotal + closeTotal > total;

  return (
    <>
      <p className="result-count" role="status">
        {total > 0 &&
          (hasCriteria
            ? `${formatOfferCount(exactTotal + closeTotal)} ${exactTotal + closeTotal > 1 ? 'trouvées' : 'trouvée'}`
            : formatOfferCount(exactTotal))}
        {capped && ` : les ${total} premières sont affichées`}
      </p>
      {total > 0 && (
        <form
          key={sort}
          className="search-sort"
          aria-label="Trier les résultats"
          onSubmit={(event) => {
            event.preventDefault();
            const value = new FormData(event.currentTarget).get('tri');
            navigate(hrefFor(1, (typeof value === 'string' ? value : 'pertinence') as SearchSort));
          }}
        >
          <label htmlFor="recherche-tri">Trier par</label>
          <select id="recherche-tri" name="tri" defaultValue={sort}>
            {SEARCH_SORTS.filter((s) => s !== 'distance' || withDistance).map((s) => (
              <option key={s} value={s}>
                {SEARCH_SORT_LABELS[s]}
              </option>
            ))}
          </select>
          <button type="submit" className="button button--secondary">
            Trier
          </button>
        </form>
      )}

      {total === 0 && (
        <div className="notice">
          <p>
            {hasCriteria
              ? 'Aucune offre ne correspond à vos critères. Élargissez le lieu ou le rayon, retirez un filtre ou essayez d’autres mots-clés.'
              : 'Aucune offre publiée pour le moment.'}
          </p>
        </div>
      )}

      {total > 0 && (result.exact.length > 0 || result.close.length === 0) && (
        <Section
          id="resultats-exacts"
          title={
            hasCriteria
              ? `${shownExact} ${shownExact > 1 ? 'offres répondent' : 'offre répond'} exactement à vos critères`
              : 'Toutes les offres, les plus récentes d’abord'
          }
          hits={result.exact}
          from={here}
        />
      )}
      {result.close.length > 0 && (
        <Section
          id="resultats-proches"
          title={`${shownClose} ${shownClose > 1 ? 'offres sont proches' : 'offre est proche'} de vos critères`}
          hits={result.close}
          from={here}
        />
      )}
      {total > 0 && result.exact.length === 0 && result.close.length === 0 && (
        <div className="notice">
          <p>Cette page ne contient aucune offre.</p>
          <p>
            <Link to={hrefFor(1, sort)}>Revenir à la première page</Link>
          </p>
        </div>
      )}

      {(pageCount > 1 || page > 1) && (
        <nav className="pagination" aria-label="Pagination">
          {page > 1 ? (
            <Link
              className="button button--secondary pagination__prev"
              to={hrefFor(page - 1, sort)}
              rel="prev"
            >
              <span className="pagination__arrow" aria-hidden="true">
                ←
              </span>
              Page précédente
            </Link>
          ) : null}
          <p className="pagination__status">
            Page {page} sur {pageCount}
          </p>
          {page < pageCount ? (
            <Link
              className="button button--secondary pagination__next"
              to={hrefFor(page + 1, sort)}
              rel="next"
            >
              Page suivante
              <span className="pagination__arrow" aria-hidden="true">
                →
              </span>
            </Link>
          ) : null}
        </nav>
      )}
    </>
  );
}
