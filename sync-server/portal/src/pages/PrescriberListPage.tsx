import type { PublicPrescriber } from '../../../../shared/domain/company-profile';
import { fetchPrescribers } from '../companies-api';
import { DirectoryPagination } from '../components/DirectoryPagination';
import { DirectorySearchForm } from '../components/DirectorySearchForm';
import {
  criteriaQuery,
  type DirectoryCriteria,
  formatCount,
  formatDistance,
  prescribersHref,
  telHref,
} from '../directory';
import { formatPlace } from '../format';
import { Link, navigate } from '../router';
import { useDocumentTitle } from '../useDocumentTitle';
import { useLoad } from '../useLoad';

export const PRESCRIBERS_LOAD_ERROR =
  'Impossible de charger les prescripteurs. Vérifiez votre connexion et réessayez.';

/**
 * « Prescripteurs »: the organisations that accompany job seekers (seed 003 « moteur de recherche
 * des prescripteurs »: only the verified ones are listed).
 */
export function PrescriberListPage({ criteria }: { criteria: DirectoryCriteria }) {
  const key = criteriaQuery(criteria);
  const [state, retry] = useLoad(`prescribers:${key}`, (signal) => fetchPrescribers(criteria, signal));
  const filtered = !!(criteria.q || criteria.commune);
  useDocumentTitle(
    criteria.page > 1
      ? `Se faire accompagner, page ${criteria.page}`
      : 'Se faire accompagner : les prescripteurs',
  );
  const total = state.status === 'ready' ? state.data.total : 0;
  const pageCount = state.status === 'ready' ? Math.ceil(total / state.data.pageSize) : 1;

  return (
    <>
      <h1>Se faire accompagner</h1>
      <p className="page-intro">
        Mission locale, Cap emploi, France Travail, structures d’accompagnement : trouvez près de chez vous un
        prescripteur habilité qui peut vous conseiller et proposer votre candidature aux employeurs.
      </p>
      <DirectorySearchForm
        key={key}
        criteria={criteria}
        withSector={false}
        nameLabel="Nom ou type de structure"
        formLabel="Rechercher un prescripteur"
        onSearch={(c) => navigate(prescribersHref(c))}
      />

      <p className="result-count" role="status">
        {state.status === 'loading' && <span className="loading">Chargement des prescripteurs…</span>}
        {state.status === 'ready' && total > 0 && formatCount(total, 'prescripteur', 'prescripteurs')}
      </p>

      {state.status === 'error' && (
        <div className="notice notice--error" role="alert">
          <p>{PRESCRIBERS_LOAD_ERROR}</p>
          <button type="button" className="button" onClick={retry}>
            Réessayer
          </button>
        </div>
      )}

      {state.status === 'ready' && total === 0 && (
        <div className="notice">
          {filtered ? (
            <>
              <p>Aucun prescripteur ne correspond à votre recherche.</p>
              <p>Élargissez le rayon de recherche ou retirez un critère.</p>
              <p>
                <Link to={prescribersHref()}>Voir tous les prescripteurs</Link>
              </p>
            </>
          ) : (
            <p>Aucun prescripteur n’est encore référencé.</p>
          )}
        </div>
      )}

      {state.status === 'ready' && state.data.items.length > 0 && (
        <ul className="directory-list">
          {state.data.items.map((p) => (
            <li key={p.id}>
              <PrescriberCard prescriber={p} />
            </li>
          ))}
        </ul>
      )}

      {state.status === 'ready' && (
        <DirectoryPagination
          page={criteria.page}
          pageCount={pageCount}
          hrefFor={(page) => prescribersHref({ ...criteria, page })}
        />
      )}
    </>
  );
}

function PrescriberCard({ prescriber: p }: { prescriber: PublicPrescriber }) {
  const titleId = `prescripteur-${p.id}`;
  return (
    <article className="directory-card directory-card--plain" aria-labelledby={titleId}>
      <div className="directory-card__body">
        <h2 className="directory-card__title" id={titleId}>
          {p.name}
        </h2>
        {p.subtypeLabel && <p className="tag">{p.subtypeLabel}</p>}
        {p.city && (
          <p className="directory-card__place">
            {p.street && <>{p.street}, </>}
            {formatPlace(p.city, p.postalCode)}
            {p.distanceKm !== undefined && (
              <span className="directory-card__distance"> · {formatDistance(p.distanceKm)}</span>
            )}
          </p>
        )}
        {(p.phone || p.email) && (
          <p className="directory-card__contact">
            {p.phone && (
              <a href={telHref(p.phone)}>
                <span className="visually-hidden">Téléphone : </span>
                {p.phone}
              </a>
            )}
            {p.phone && p.email && <span aria-hidden="true"> · </span>}
            {p.email && (
              <a href={`mailto:${p.email}`}>
                <span className="visually-hidden">E-mail : </span>
                {p.email}
              </a>
            )}
          </p>
        )}
      </div>
    </article>
  );
}
