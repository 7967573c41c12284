import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { NoticeDoc } from '../../../../shared/schemas';
import type { CompanyDoc } from '../../../../shared/schemas/company.schema';
import { useSession } from '../../app/session-context';
import { useSyncState } from '../../hooks/use-sync-state';
import { formatDate, normalizeForSearch, plural } from '../../lib/format';
import { useNotices } from '../notices/use-notices';
import { useOrganisationOffers } from '../offers/use-offers';
import { CompanyFormScreen } from './CompanyFormScreen';
import { canEditCompany, countOffersByCompany, sectorLabel } from './company-model';
import { useOrganisationCompanies } from './use-companies';
import './companies.css';

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

interface Row {
  company: CompanyDoc;
  offers: number;
}

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel() });
const helper = createColumnHelper<typeof features, Row>();

const textSort = (
  a: { getValue: (id: string) => unknown },
  b: { getValue: (id: string) => unknown },
  id: string,
) => collator.compare(String(a.getValue(id) ?? ''), String(b.getValue(id) ?? ''));
const numberSort = (
  a: { getValue: (id: string) => unknown },
  b: { getValue: (id: string) => unknown },
  id: string,
) => Number(a.getValue(id) ?? 0) - Number(b.getValue(id) ?? 0);

const columns = helper.columns([
  helper.accessor((r) => r.company.name, { id: 'name', header: 'Entreprise', sortFn: textSort }),
  helper.accessor((r) => r.company.address?.city ?? '', { id: 'city', header: 'Ville', sortFn: textSort }),
  helper.accessor((r) => sectorLabel(r.company.sector), {
    id: 'sector',
    header: 'Secteur',
    sortFn: textSort,
  }),
  helper.accessor((r) => (r.company.published ? 'En ligne' : 'Hors ligne'), {
    id: 'published',
    header: 'Fiche',
    sortFn: textSort,
  }),
  helper.accessor((r) => r.offers, { id: 'offers', header: 'Offres', sortFn: numberSort }),
  helper.accessor((r) => r.company.jobs.length, {
    id: 'jobs',
    header: 'Fiches de poste',
    sortFn: numberSort,
  }),
  helper.accessor((r) => r.company.updatedAt, { id: 'updatedAt', header: 'Mise à jour', sortFn: textSort }),
]);

const SORT_LABEL = { asc: 'ascending', desc: 'descending' } as const;

/**
 * « Ma fiche entreprise » (seed 001) and, for an agency, « Entreprises clientes »: the company
 * profiles of the current organisation. An employer with one profile goes straight to it.
 */
export function CompaniesScreen() {
  const { db, sync, user, organisation, navigate } = useSession();
  const orgId = organisation?.organisationId ?? null;
  const isAgency = organisation?.kind === 'agency';
  const companies = useOrganisationCompanies(db, orgId);
  const offers = useOrganisationOffers(db, orgId);
  const notices = useNotices(db);
  const { lastSyncAt } = useSyncState(sync);
  const [search, setSearch] = useState('');
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);

  const offerCounts = useMemo(() => countOffersByCompany(offers ?? []), [offers]);
  const rows = useMemo(() => {
    const q = normalizeForSearch(search);
    return (companies ?? [])
      .filter((c) => !q || normalizeForSearch(c.name).includes(q))
      .map((company) => ({ company, offers: offerCounts.get(company.id) ?? 0 }));
  }, [companies, search, offerCounts]);

  const noticeByCompany = useMemo(() => {
    const m = new Map<string, NoticeDoc>();
    for (const n of notices ?? []) {
      if (n.documentCollection !== 'companies' || !n.documentId || n.readAt) continue;
      if (!m.has(n.documentId)) m.set(n.documentId, n);
    }
    return m;
  }, [notices]);

  const table = useTable({
    features,
    columns,
    data: rows,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (row) => row.company.id,
    enableSortingRemoval: false,
  });

  const title = isAgency ? 'Entreprises clientes' : 'Mes fiches entreprise';
  const addLabel = isAgency ? 'Ajouter une entreprise cliente' : 'Ajouter une fiche entreprise';

  if (!organisation || (organisation.kind !== 'employer' && organisation.kind !== 'agency')) {
    return (
      <section aria-labelledby="companies-title">
        <h1 id="companies-title" tabIndex={-1}>
          Ma fiche entreprise
        </h1>
        <div className="empty-state" data-testid="no-organisation">
          <p>Les fiches entreprise appartiennent aux employeurs et aux agences.</p>
          <p className="muted">
            Choisissez une organisation employeur ou une agence dans le menu, ou demandez à son administrateur
            de vous inviter.
          </p>
        </div>
      </section>
    );
  }

  if (companies === undefined) return <p>Chargement des fiches entreprise…</p>;

  if (companies.length === 0 && !lastSyncAt) {
    return (
      <section aria-labelledby="companies-title">
        <h1 id="companies-title" tabIndex={-1}>
          {isAgency ? title : 'Ma fiche entreprise'}
        </h1>
        <div className="empty-state" aria-busy="true">
          <p>Première synchronisation en cours : vos fiches entreprise arrivent…</p>
        </div>
      </section>
    );
  }

  // An employer sees its profile itself (or creates it), as « Ma fiche entreprise ».
  if (!isAgency && companies.length <= 1) {
    const only = companies[0];
    return <CompanyFormScreen key={only?.id ?? 'new'} companyId={only?.id} />;
  }

  const count = rows.length;
  const visibleRows = table.getRowModel().rows;

  return (
    <section aria-labelledby="companies-title">
      <div className="page-header">
        <h1 id="companies-title" tabIndex={-1}>
          {title}
        </h1>
        <button
          type="button"
          className="button button--primary"
          onClick={() => navigate({ name: 'company-form' })}
        >
          {addLabel}
        </button>
      </div>
      {isAgency ? (
        <p className="muted">
          Les fiches des entreprises pour lesquelles {organisation.organisationName} recrute. Chaque fiche
          peut être mise en ligne dans l’annuaire des entreprises du portail.
        </p>
      ) : null}
      {companies.length === 0 ? (
        <div className="empty-state" data-testid="companies-empty">
          <p>Vous n’avez encore aucune entreprise cliente.</p>
          <p className="muted">
            Ajoutez la fiche de chaque entreprise pour laquelle vous recrutez : elle est enregistrée sur ce
            poste, même hors ligne, puis envoyée au serveur.
          </p>
          <button
            type="button"
            className="button button--primary"
            onClick={() => navigate({ name: 'company-form' })}
          >
            {addLabel}
          </button>
        </div>
      ) : (
        <>
          <search className="filters" aria-label="Rechercher une entreprise">
            <div className="field">
              <label htmlFor="company-search">Rechercher par nom</label>
              <input
                id="company-search"
                type="search"
                placeholder="Nom de l’entreprise"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
            </div>
          </search>
          <p className="result-count" aria-live="polite" data-testid="company-count">
            {count} {plural(count, 'entreprise', 'entreprises')}
            {search ? ` ${plural(count, 'correspond', 'correspondent')} à la recherche` : ''}
          </p>
          {count === 0 ? (
            <div className="empty-state">
              <p>Aucune entreprise ne correspond à « {search} ».</p>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="data-table company-table" data-testid="companies-table">
                <caption className="visually-hidden">
                  {title} de {organisation.organisationName}. Les en-têtes de colonnes permettent de trier.
                </caption>
                <thead>
                  {table.getHeaderGroups().map((group) => (
                    <tr key={group.id}>
                      {group.headers.map((header) => {
                        const sorted = header.column.getIsSorted();
                        return (
                          <th
                            key={header.id}
                            scope="col"
                            aria-sort={sorted ? SORT_LABEL[sorted] : 'none'}
                            className={`col-${header.column.id}`}
                          >
                            <button
                              type="button"
                              className="sort-button"
                              onClick={header.column.getToggleSortingHandler()}
                            >
                              <table.FlexRender header={header} />
                              <span className="sort-indicator" aria-hidden="true">
                                {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                              </span>
                            </button>
                          </th>
                        );
                      })}
                      <th scope="col" className="col-actions">
                        Actions
                      </th>
                    </tr>
                  ))}
                </thead>
                <tbody>
                  {visibleRows.map((row) => {
                    const c = row.original.company;
                    const editable = canEditCompany(user, c);
                    const notice = noticeByCompany.get(c.id);
                    const pending = sync.isPending('companies', c.id);
                    return (
                      <tr key={row.id} data-testid="company-row" data-company-id={c.id}>
                        <td className="col-name">
                          <span className="company-name">{c.name || <em>(sans nom)</em>}</span>
                          {pending ? (
                            <span
                              className="tag tag--pending company-row-tags"
                              title="Modification pas encore envoyée au serveur"
                            >
                              Non synchronisée
                            </span>
                          ) : null}
                          {notice ? (
                            <p className="offer-refusal" data-testid="company-notice-inline">
                              {notice.title} : {notice.message}
                            </p>
                          ) : null}
                        </td>
                        <td>
                          {c.address?.city ?? <span className="muted">—</span>}
                          {c.address?.postalCode ? ` (${c.address.postalCode})` : ''}
                        </td>
                        <td>{sectorLabel(c.sector) || <span className="muted">—</span>}</td>
                        <td>
                          <span className={`status status--${c.published ? 'success' : 'neutral'}`}>
                            {c.published ? 'En ligne' : 'Hors ligne'}
                          </span>
                        </td>
                        <td className="col-offers">{row.original.offers}</td>
                        <td className="col-offers">{c.jobs.length}</td>
                        <td className="col-date">{formatDate(c.updatedAt)}</td>
                        <td className="col-actions">
                          <div className="row-actions">
                            <button
                              type="button"
                              className="button button--small"
                              aria-label={`${editable ? 'Modifier' : 'Consulter'} la fiche « ${c.name} »`}
                              onClick={() => navigate({ name: 'company-form', companyId: c.id })}
                            >
                              {editable ? 'Modifier' : 'Consulter'}
                            </button>
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
