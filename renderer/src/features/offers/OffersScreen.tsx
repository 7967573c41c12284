import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import {
  CONTRACT_TYPE_LABELS,
  type ContractType,
  OFFER_EDITABLE_STATUSES,
  OFFER_STATUS_LABELS,
  OFFER_STATUSES,
  type OfferStatus,
  offerStatusLabel,
} from '../../../../shared/domain/offer';
import type { NoticeDoc, OfferDoc } from '../../../../shared/schemas';
import { useSession } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useSyncState } from '../../hooks/use-sync-state';
import { formatDate, normalizeForSearch, plural } from '../../lib/format';
import { useNotices } from '../notices/use-notices';
import {
  canDelete,
  canSubmit,
  docToForm,
  duplicateOffer,
  softDeleteOffer,
  validateForm,
} from './offer-model';
import { useOrganisationOffers } from './use-offers';

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
});
const helper = createColumnHelper<typeof features, OfferDoc>();

const textSort = (
  a: { getValue: (id: string) => unknown },
  b: { getValue: (id: string) => unknown },
  id: string,
) => collator.compare(String(a.getValue(id) ?? ''), String(b.getValue(id) ?? ''));

function contractsText(offer: OfferDoc): string {
  return offer.contractTypes.map((c) => CONTRACT_TYPE_LABELS[c as ContractType] ?? c).join(', ');
}

function statusText(offer: OfferDoc): string {
  return offerStatusLabel(offer.status as OfferStatus, offer.previousStatus as OfferStatus | undefined);
}

const columns = helper.columns([
  helper.accessor('title', { id: 'title', header: 'Titre et métier', sortFn: textSort }),
  helper.accessor((o) => o.number ?? '', { id: 'number', header: 'N°', sortFn: textSort }),
  helper.accessor((o) => [o.city, o.postalCode ? `(${o.postalCode})` : ''].filter(Boolean).join(' '), {
    id: 'city',
    header: 'Lieu',
    sortFn: textSort,
  }),
  helper.accessor('companyName', { id: 'companyName', header: 'Entreprise', sortFn: textSort }),
  helper.accessor((o) => contractsText(o), { id: 'contracts', header: 'Contrat(s)', sortFn: textSort }),
  helper.accessor((o) => statusText(o), { id: 'status', header: 'Statut', sortFn: textSort }),
  helper.accessor((o) => o.createdAt, { id: 'createdAt', header: 'Dépôt le', sortFn: textSort }),
  helper.accessor((o) => o.updatedAt, { id: 'updatedAt', header: 'Mis à jour', sortFn: textSort }),
]);

const STATUS_CLASS: Record<OfferStatus, string> = {
  brouillon: 'neutral',
  en_attente: 'warning',
  publiee: 'success',
  refusee: 'danger',
  expiree: 'neutral',
  pourvue: 'info',
  archivee: 'neutral',
  supprimee: 'muted',
};

const SORT_LABEL = { asc: 'ascending', desc: 'descending' } as const;

/** « Mes offres » (seed 001): the organisation's offers with search, status filter and actions. */
export function OffersScreen() {
  const { db, sync, organisation, navigate, announce } = useSession();
  const offers = useOrganisationOffers(db, organisation?.organisationId ?? null);
  const notices = useNotices(db);
  const { lastSyncAt } = useSyncState(sync); // also re-renders when pending changes move
  const [search, setSearch] = useState('');
  const [statusFilter, setStatusFilter] = useState<'' | OfferStatus>('');
  const [sorting, setSorting] = useState<SortingState>([{ id: 'updatedAt', desc: true }]);
  const [toDelete, setToDelete] = useState<OfferDoc | null>(null);

  const filtered = useMemo(() => {
    const q = normalizeForSearch(search);
    return (offers ?? []).filter(
      (o) => (!q || normalizeForSearch(o.title).includes(q)) && (!statusFilter || o.status === statusFilter),
    );
  }, [offers, search, statusFilter]);

  const noticesByOffer = useMemo(() => {
    const m = new Map<string, NoticeDoc>();
    for (const n of notices ?? []) {
      if (!n.documentId || (n.documentCollection && n.documentCollection !== 'offers')) continue;
      if (!m.has(n.documentId) && (!n.readAt || n.kind === 'refus')) m.set(n.documentId, n);
    }
    return m;
  }, [notices]);

  const table = useTable({
    features,
    columns,
    data: filtered,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (row) => row.id,
    enableSortingRemoval: false,
  });

  async function submitOffer(offer: OfferDoc) {
    const errors = validateForm(docToForm(offer), true);
    if (errors.length > 0) {
      navigate({ name: 'offer-form', offerId: offer.id, submitOnOpen: true });
      return;
    }
    const doc = await db.offers.findOne(offer.id).exec();
    await doc?.incrementalModify((d) => ({
      ...d,
      status: 'en_attente',
      updatedAt: new Date().toISOString(),
    }));
    announce(
      `« ${offer.title} » est soumise à la modération : un modérateur va la vérifier, puis elle sera en ligne 60 jours.`,
    );
  }

  async function confirmDelete() {
    const offer = toDelete;
    setToDelete(null);
    if (!offer) return;
    const doc = await db.offers.findOne(offer.id).exec();
    await doc?.incrementalModify((d) => softDeleteOffer(d, new Date().toISOString()));
    announce(`« ${offer.title} » a été supprimée.`);
  }

  async function duplicate(offer: OfferDoc) {
    const copy = duplicateOffer(offer, crypto.randomUUID(), new Date().toISOString());
    await db.offers.insert(copy);
    announce(`« ${offer.title} » a été dupliquée : un nouveau brouillon a été créé.`);
  }

  const count = filtered.length;
  const rows = table.getRowModel().rows;

  return (
    <section aria-labelledby="offers-title">
      <div className="page-header">
        <h1 id="offers-title" tabIndex={-1}>
          Mes offres
        </h1>
        {organisation ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() => navigate({ name: 'offer-form' })}
          >
            Publier une offre
          </button>
        ) : null}
      </div>
      {!organisation ? (
        <div className="empty-state" data-testid="no-organisation">
          <p>Votre compte n’est encore rattaché à aucune organisation qui publie des offres.</p>
          <p className="muted">
            Demandez à un administrateur de votre entreprise de vous inviter : vos offres apparaîtront ici dès
            que votre compte sera rattaché.
          </p>
        </div>
      ) : (
        <>
          <search className="filters" aria-label="Filtrer les offres">
            <div className="field">
              <label htmlFor="offer-search">Rechercher par titre</label>
              <input
                id="offer-search"
                type="search"
                placeholder="Veuillez saisir un titre"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="offer-status-filter">Statut</label>
              <select
                id="offer-status-filter"
                value={statusFilter}
                onChange={(e) => setStatusFilter(e.target.value as '' | OfferStatus)}
              >
                <option value="">Toutes les offres</option>
                {OFFER_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {OFFER_STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
          </search>
          <p className="result-count" aria-live="polite" data-testid="offer-count">
            {count} {plural(count, 'offre correspond', 'offres correspondent')} aux filtres
          </p>
          {offers === undefined ? (
            <p>Chargement des offres…</p>
          ) : offers.length === 0 && !lastSyncAt ? (
            <div className="empty-state" aria-busy="true">
              <p>Première synchronisation en cours : vos offres arrivent…</p>
            </div>
          ) : offers.length === 0 ? (
            <div className="empty-state" data-testid="offers-empty">
              <p>Vous n’avez encore aucune offre.</p>
              <p className="muted">
                Publiez votre première offre d’emploi : elle sera enregistrée sur ce poste, même hors ligne,
                puis envoyée au serveur.
              </p>
              <button
                type="button"
                className="button button--primary"
                onClick={() => navigate({ name: 'offer-form' })}
              >
                Publier une offre
              </button>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="data-table" data-testid="offers-table">
                <caption className="visually-hidden">
                  Offres de {organisation.organisationName}. Les en-têtes de colonnes permettent de trier.
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
                  {rows.map((row) => {
                    const o = row.original;
                    const status = o.status as OfferStatus;
                    const notice = noticesByOffer.get(o.id);
                    const pending = sync.isPending('offers', o.id);
                    return (
                      <tr key={row.id} data-testid="offer-row" data-offer-id={o.id} data-status={o.status}>
                        <td className="col-title">
                          <span className="offer-title">{o.title || <em>(sans titre)</em>}</span>
                          {pending ? (
                            <span
                              className="tag tag--pending"
                              title="Modification pas encore envoyée au serveur"
                            >
                              Non synchronisée
                            </span>
                          ) : null}
                          {o.jobTitle ? <span className="offer-job">{o.jobTitle}</span> : null}
                          {status === 'refusee' && o.moderationReason ? (
                            <p className="offer-refusal">Motif du refus : {o.moderationReason}</p>
                          ) : null}
                          {notice ? (
                            <p className="offer-refusal" data-testid="offer-notice">
                              {notice.title} : {notice.message}
                              {notice.fields?.length
                                ? ` (${notice.fields.map((f) => f.message).join(' ')})`
                                : ''}
                            </p>
                          ) : null}
                        </td>
                        <td>{o.number ?? <span className="muted">—</span>}</td>
                        <td>{row.getValue('city') as string}</td>
                        <td>{o.companyName}</td>
                        <td>{contractsText(o)}</td>
                        <td>
                          <span className={`status status--${STATUS_CLASS[status]}`}>{statusText(o)}</span>
                        </td>
                        <td className="col-date">{formatDate(o.createdAt)}</td>
                        <td className="col-date">{formatDate(o.updatedAt)}</td>
                        <td className="col-actions">
                          <div className="row-actions">
                            {OFFER_EDITABLE_STATUSES.includes(status) ? (
                              <button
                                type="button"
                                className="button button--small"
                                aria-label={`Modifier « ${o.title} »`}
                                onClick={() => navigate({ name: 'offer-form', offerId: o.id })}
                              >
                                Modifier
                              </button>
                            ) : null}
                            {canSubmit(status) ? (
                              <button
                                type="button"
                                className="button button--small"
                                aria-label={`Soumettre à la modération « ${o.title} »`}
                                onClick={() => void submitOffer(o)}
                              >
                                Soumettre
                              </button>
                            ) : null}
                            <button
                              type="button"
                              className="button button--small button--secondary"
                              aria-label={`Dupliquer « ${o.title} »`}
                              onClick={() => void duplicate(o)}
                            >
                              Dupliquer
                            </button>
                            {canDelete(status) ? (
                              <button
                                type="button"
                                className="button button--small button--danger-outline"
                                aria-label={`Supprimer « ${o.title} »`}
                                onClick={() => setToDelete(o)}
                              >
                                Supprimer
                              </button>
                            ) : null}
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
      <ConfirmDialog
        open={toDelete !== null}
        title="Supprimer cette offre ?"
        confirmLabel="Supprimer l’offre"
        danger
        onConfirm={() => void confirmDelete()}
        onCancel={() => setToDelete(null)}
      >
        <p>
          L’offre « {toDelete?.title} » sera retirée et apparaîtra comme « Supprimée ». Vous pourrez toujours
          la dupliquer.
        </p>
      </ConfirmDialog>
    </section>
  );
}
