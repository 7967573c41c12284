/**
 * « Offres correspondant à ce CV » (seed 002): the offers matching a CV's target (its job, its
 * workplaces, its contracts), exact first, then close ones, with a link to the full search.
 */
import type { PublicOfferHit } from '../../../../../shared/domain/offer-search';
import { apiRequest } from '../../api';
import { contractLabel, formatDate, formatPlace } from '../../format';
import { Link, offerHref } from '../../router';
import { useLoad } from '../../useLoad';

interface MatchingAnswer {
  cv: { id: string; title: string };
  searchQuery: string;
  exact: PublicOfferHit[];
  close: PublicOfferHit[];
  exactTotal: number;
  message?: string;
}

function OfferItems({ offers }: { offers: PublicOfferHit[] }) {
  return (
    <ul className="cv-matching__list">
      {offers.map((offer) => (
        <li key={offer.id} className="cv-matching__item">
          <Link to={offerHref(offer.id)}>{offer.title}</Link>
          <p className="cv-matching__meta">
            {[
              offer.companyName,
              formatPlace(offer.city, offer.postalCode),
              typeof offer.distanceKm === 'number' ? `à ${offer.distanceKm.toLocaleString('fr-FR')} km` : '',
              (offer.contractTypes ?? []).map((c) => contractLabel(c)).join(', '),
              offer.publishedAt ? `publiée le ${formatDate(offer.publishedAt)}` : '',
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function CvMatchingOffers({ cvId, headingLevel = 2 }: { cvId: string; headingLevel?: 2 | 3 | 4 }) {
  const [state, retry] = useLoad(`matching:${cvId}`, (signal) =>
    apiRequest<MatchingAnswer>(
      'GET',
      `/api/candidate/cvs/${encodeURIComponent(cvId)}/matching-offers`,
      undefined,
      {
        signal,
      },
    ),
  );
  const H = `h${headingLevel}` as 'h2';
  const Sub = `h${Math.min(headingLevel + 1, 6)}` as 'h3';

  return (
    <section
      className="cv-matching"
      aria-labelledby={`offres-${cvId}`}
      aria-busy={state.status === 'loading'}
    >
      <H id={`offres-${cvId}`}>Offres correspondant à ce CV</H>
      {state.status === 'loading' && <p>Recherche des offres…</p>}
      {state.status === 'error' && (
        <div className="notice notice--error" role="alert">
          <p>{state.error instanceof Error ? state.error.message : 'La recherche a échoué.'}</p>
          <button type="button" className="button button--secondary" onClick={retry}>
            Réessayer
          </button>
        </div>
      )}
      {state.status === 'ready' &&
        (state.data.message ? (
          <p className="notice notice--info">{state.data.message}</p>
        ) : (
          <>
            <p role="status">
              {state.data.exact.length === 0 && state.data.close.length === 0
                ? 'Aucune offre en ligne ne correspond à ce CV pour le moment.'
                : `${state.data.exact.length} offre${state.data.exact.length > 1 ? 's' : ''} répond${state.data.exact.length > 1 ? 'ent' : ''} exactement à ce CV${state.data.close.length ? `, ${state.data.close.length} en ${state.data.close.length > 1 ? 'sont proches' : 'est proche'}` : ''}.`}
            </p>
            {state.data.exact.length > 0 && (
              <>
                <Sub>Répondent exactement à votre CV</Sub>
                <OfferItems offers={state.data.exact} />
              </>
            )}
            {state.data.close.length > 0 && (
              <>
                <Sub>Proches de votre CV</Sub>
                <OfferItems offers={state.data.close} />
              </>
            )}
            {state.data.searchQuery && (
              <p>
                <Link to={`/?${state.data.searchQuery}`}>Voir et affiner la recherche de ces offres</Link>
              </p>
            )}
          </>
        ))}
    </section>
  );
}
