import type { PublicOffer } from '../../../../shared/domain/public-offer';
import { fetchOfferPage, PAGE_SIZE } from '../api';
import { contractLabel, formatDate, formatOfferCount, formatPlace, formatSalary } from '../format';
import { Link, listHref, offerHref } from '../router';
import { useDocumentTitle } from '../useDocumentTitle';
import { useLoad } from '../useLoad';

export const LOAD_ERROR_MESSAGE = 'Impossible de charger les offres. Vérifiez votre connexion et réessayez.';

export function OfferListPage({ page }: { page: number }) {
  const [state, retry] = useLoad(`offers:${page}`, (signal) => fetchOfferPage(page, signal));
  const total = state.status === 'ready' ? state.data.total : 0;
  const pageSize = state.status === 'ready' ? state.data.pageSize : PAGE_SIZE;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  useDocumentTitle(page > 1 ? `Offres d’emploi, page ${page}` : 'Offres d’emploi');

  return (
    <>
      <h1>Offres d’emploi</h1>
      {/* One live region for the whole list: announced when the count arrives. */}
      <p className="result-count" role="status">
        {state.status === 'loading' && <span className="loading">Chargement des offres…</span>}
        {state.status === 'ready' && total > 0 && formatOfferCount(total)}
      </p>

      {state.status === 'error' && (
        <div className="notice notice--error" role="alert">
          <p>{LOAD_ERROR_MESSAGE}</p>
          <button type="button" className="button" onClick={retry}>
            Réessayer
          </button>
        </div>
      )}

      {state.status === 'ready' && total === 0 && (
        <div className="notice">
          <p>Aucune offre publiée pour le moment.</p>
        </div>
      )}

      {state.status === 'ready' && total > 0 && state.data.items.length === 0 && (
        <div className="notice">
          <p>Cette page ne contient aucune offre.</p>
          <p>
            <Link to="/">Revenir à la première page</Link>
          </p>
        </div>
      )}

      {state.status === 'ready' && state.data.items.length > 0 && (
        <ul className="offer-list">
          {state.data.items.map((offer) => (
            <li key={offer.id}>
              <OfferCard offer={offer} from={listHref(page)} />
            </li>
          ))}
        </ul>
      )}

      {state.status === 'ready' && (pageCount > 1 || page > 1) && (
        <nav className="pagination" aria-label="Pagination">
          {page > 1 ? (
            <Link className="button button--secondary pagination__prev" to={listHref(page - 1)} rel="prev">
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
            <Link className="button button--secondary pagination__next" to={listHref(page + 1)} rel="next">
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

function OfferCard({ offer, from }: { offer: PublicOffer; from: string }) {
  const titleId = `offre-${offer.id}`;
  const salary = formatSalary(offer);
  const published = formatDate(offer.publishedAt);
  return (
    <article className="offer-card" aria-labelledby={titleId}>
      <h2 className="offer-card__title" id={titleId}>
        <Link to={offerHref(offer.id)} state={{ from }}>
          {offer.title}
        </Link>
      </h2>
      <p className="offer-card__company">{offer.companyName}</p>
      <p className="offer-card__place">{formatPlace(offer.city, offer.postalCode)}</p>
      <div className="tags">
        {offer.contractTypes.length > 0 && (
          <ul className="tags__list" aria-label="Types de contrat">
            {offer.contractTypes.map((type) => (
              <li key={type} className="tag">
                {contractLabel(type)}
              </li>
            ))}
          </ul>
        )}
        {offer.seasonal && <span className="tag tag--seasonal">Offre saisonnière</span>}
      </div>
      {salary && <p className="offer-card__salary">Salaire : {salary}</p>}
      {published && (
        <p className="offer-card__date">
          Publiée le <time dateTime={offer.publishedAt}>{published}</time>
        </p>
      )}
    </article>
  );
}
