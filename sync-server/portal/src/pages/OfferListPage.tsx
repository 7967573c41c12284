import { useEffect, useState } from 'react';
import {
  criteriaFromQuery,
  criteriaToQuery,
  hasSearchCriteria,
  type OfferSearchCriteria,
  type SearchSort,
  searchOptionsFromQuery,
} from '../../../../shared/domain/offer-search';
import type { FieldError } from '../../../../shared/sync/errors';
import { ApiError } from '../api';
import { SearchForm, type SearchLabels } from '../components/search/SearchForm';
import { SearchResults } from '../components/search/SearchResults';
import '../components/search/search.css';
import { Link, navigate, PATHS, useLocation } from '../router';
import { fetchOwnProfile, fetchSearch } from '../search-api';
import { criteriaFromProfile } from '../search-profile';
import { useSession } from '../session';
import { useDocumentTitle } from '../useDocumentTitle';
import { useLoad } from '../useLoad';

export const LOAD_ERROR_MESSAGE = 'Impossible de charger les offres. Vérifiez votre connexion et réessayez.';

/** The address of a search: criteria, then sort and page when they are not the defaults. */
export function searchHref(criteria: OfferSearchCriteria, page = 1, sort: SearchSort = 'pertinence'): string {
  const q = new URLSearchParams(criteriaToQuery(criteria));
  if (sort !== 'pertinence') q.set('tri', sort);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `/?${s}` : '/';
}

export function OfferListPage(_props: { page: number }) {
  const location = useLocation();
  const search = location.includes('?') ? location.slice(location.indexOf('?') + 1) : '';
  const { criteria, errors: urlErrors } = criteriaFromQuery(search);
  const options = searchOptionsFromQuery(search);
  const hasCriteria = hasSearchCriteria(criteria);
  const badUrl = [...urlErrors, ...options.errors];
  const apiQuery = searchHref(criteria, options.page, options.sort).replace(/^\/\??/, '');
  const [state, retry] = useLoad(`search:${badUrl.length ? 'invalide' : apiQuery}`, (signal) =>
    badUrl.length
      ? Promise.reject(new ApiError(400, 'validation', 'Critères invalides', badUrl))
      : fetchSearch(apiQuery, signal),
  );
  const { session } = useSession();
  const [profile, setProfile] = useState<{ criteria: OfferSearchCriteria; labels: SearchLabels } | null>(
    null,
  );
  const signedInCandidate = session.status === 'signed-in' && session.user.kind === 'candidate';

  // An empty search form is pre-filled from the candidate's profile (ignored when there is none).
  useEffect(() => {
    if (!signedInCandidate || hasCriteria) return;
    const controller = new AbortController();
    fetchOwnProfile(controller.signal).then(
      (p) => {
        if (p) setProfile(criteriaFromProfile(p));
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [signedInCandidate, hasCriteria]);

  const title = hasCriteria ? 'Recherche d’offres d’emploi' : 'Offres d’emploi';
  useDocumentTitle(options.page > 1 ? `${title}, page ${options.page}` : title);

  const serverErrors: FieldError[] =
    state.status === 'error' && state.error instanceof ApiError && state.error.status === 400
      ? state.error.fields
      : [];
  const context = state.status === 'ready' ? state.data.context : {};
  const initial = hasCriteria ? criteria : (profile?.criteria ?? {});
  const labels: SearchLabels = hasCriteria
    ? {
        ...(context.place ? { place: context.place.label } : {}),
        ...(context.appellation ? { appellation: context.appellation.label } : {}),
      }
    : (profile?.labels ?? {});
  const here = searchHref(criteria, options.page, options.sort);
  const qs = criteriaToQuery(criteria);

  return (
    <>
      <h1>Offres d’emploi</h1>
      <SearchForm
        key={`${search}|${profile ? 'profil' : ''}|${serverErrors.length}`}
        initial={initial}
        labels={labels}
        serverErrors={serverErrors}
        onSearch={(c) => navigate(searchHref(c))}
      />
      {!hasCriteria && profile && hasSearchCriteria(profile.criteria) && (
        <p className="notice notice--info">
          Le formulaire reprend les préférences de recherche de votre profil : lancez la recherche ou
          modifiez-les.
        </p>
      )}

      <div className="search-links">
        {hasCriteria && !criteria.offerNumber && (
          <Link className="button button--secondary" to={`${PATHS.alerts}?${qs}`}>
            Créer une alerte pour cette recherche
          </Link>
        )}
        <a
          className="search-links__rss"
          href={`/flux/offres.rss${qs ? `?${qs}` : ''}`}
          type="application/rss+xml"
        >
          Flux RSS {hasCriteria ? 'de cette recherche' : 'des offres'}
        </a>
      </div>

      {state.status === 'loading' && (
        <p className="result-count" role="status">
          <span className="loading">Chargement des offres…</span>
        </p>
      )}
      {state.status === 'error' && serverErrors.length === 0 && (
        <div className="notice notice--error" role="alert">
          <p>
            {state.error instanceof ApiError && state.error.status !== 0
              ? state.error.message
              : LOAD_ERROR_MESSAGE}
          </p>
          <button type="button" className="button" onClick={retry}>
            Réessayer
          </button>
        </div>
      )}
      {state.status === 'ready' && (
        <SearchResults
          result={state.data}
          hasCriteria={hasCriteria}
          sort={options.sort}
          withDistance={criteria.place?.kind === 'commune'}
          hrefFor={(page, sort) => searchHref(criteria, page, sort)}
          here={here}
        />
      )}
    </>
  );
}
