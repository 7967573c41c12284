import type { PublicCompanySummary } from '../../../../shared/domain/company-profile';
import { fetchCompanies } from '../companies-api';
import { CompanyLogo } from '../components/CompanyLogo';
import { DirectoryPagination } from '../components/DirectoryPagination';
import { DirectorySearchForm } from '../components/DirectorySearchForm';
import {
  companiesHref,
  companyHref,
  criteriaQuery,
  type DirectoryCriteria,
  formatCount,
  formatDistance,
  sectorLabel,
} from '../directory';
import { formatPlace } from '../format';
import { Link, navigate } from '../router';
import { useDocumentTitle } from '../useDocumentTitle';
import { useLoad } from '../useLoad';

export const COMPANIES_LOAD_ERROR =
  'Impossible de charger les entreprises. Vérifiez votre connexion et réessayez.';

/** « Entreprises »: the directory of published company profiles (seed 001, seed 003). */
export function CompanyListPage({ criteria }: { criteria: DirectoryCriteria }) {
  const key = criteriaQuery(criteria);
  const [state, retry] = useLoad(`companies:${key}`, (signal) => fetchCompanies(criteria, signal));
  const filtered = !!(criteria.q || criteria.sector || criteria.commune);
  useDocumentTitle(
    criteria.page > 1 ? `Entreprises qui recrutent, page ${criteria.page}` : 'Entreprises qui recrutent',
  );
  const total = state.status === 'ready' ? state.data.total : 0;
  const pageCount = state.status === 'ready' ? Math.ceil(total / state.data.pageSize) : 1;
  const here = companiesHref(criteria);

  return (
    <>
      <h1>Entreprises qui recrutent</h1>
      <p className="page-intro">
        Découvrez les employeurs du territoire, leurs offres en ligne et les métiers qu’ils recrutent toute
        l’année.
      </p>
      <DirectorySearchForm
        key={key}
        criteria={criteria}
        withSector
        nameLabel="Nom de l’entreprise"
        formLabel="Rechercher une entreprise"
        onSearch={(c) => navigate(companiesHref(c))}
      />

      <p className="result-count" role="status">
        {state.status === 'loading' && <span className="loading">Chargement des entreprises…</span>}
        {state.status === 'ready' && total > 0 && formatCount(total, 'entreprise', 'entreprises')}
      </p>

      {state.status === 'error' && (
        <div className="notice notice--error" role="alert">
          <p>{COMPANIES_LOAD_ERROR}</p>
          <button type="button" className="button" onClick={retry}>
            Réessayer
          </button>
        </div>
      )}

      {state.status === 'ready' && total === 0 && (
        <div className="notice">
          {filtered ? (
            <>
              <p>Aucune entreprise ne correspond à votre recherche.</p>
              <p>Élargissez le rayon, choisissez un autre secteur ou retirez un critère.</p>
              <p>
                <Link to={companiesHref()}>Voir toutes les entreprises</Link>
              </p>
            </>
          ) : (
            <p>Aucune entreprise n’a encore publié sa fiche.</p>
          )}
        </div>
      )}

      {state.status === 'ready' && total > 0 && state.data.items.length === 0 && (
        <div className="notice">
          <p>Cette page ne contient aucune entreprise.</p>
          <p>
            <Link to={companiesHref({ ...criteria, page: 1 })}>Revenir à la première page</Link>
          </p>
        </div>
      )}

      {state.status === 'ready' && state.data.items.length > 0 && (
        <ul className="directory-list">
          {state.data.items.map((c) => (
            <li key={c.id}>
              <CompanyCard company={c} from={here} />
            </li>
          ))}
        </ul>
      )}

      {state.status === 'ready' && (
        <DirectoryPagination
          page={criteria.page}
          pageCount={pageCount}
          hrefFor={(page) => companiesHref({ ...criteria, page })}
        />
      )}
    </>
  );
}

function CompanyCard({ company, from }: { company: PublicCompanySummary; from: string }) {
  const titleId = `entreprise-${company.id}`;
  const sector = sectorLabel(company.sector);
  return (
    <article className="directory-card" aria-labelledby={titleId}>
      <CompanyLogo name={company.name} {...(company.logo ? { logo: company.logo } : {})} />
      <div className="directory-card__body">
        <h2 className="directory-card__title" id={titleId}>
          <Link to={companyHref(company.id)} state={{ from }}>
            {company.name}
          </Link>
        </h2>
        {company.city && (
          <p className="directory-card__place">
            {formatPlace(company.city, company.postalCode)}
            {company.distanceKm !== undefined && (
              <span className="directory-card__distance"> · {formatDistance(company.distanceKm)}</span>
            )}
          </p>
        )}
        {sector && <p className="directory-card__sector">{sector}</p>}
        {company.excerpt && <p className="directory-card__excerpt">{company.excerpt}</p>}
        <p className={company.offerCount > 0 ? 'tag tag--offers' : 'directory-card__none'}>
          {company.offerCount > 0
            ? `${formatCount(company.offerCount, 'offre', 'offres')} en ligne`
            : 'Aucune offre en ligne'}
        </p>
      </div>
    </article>
  );
}
