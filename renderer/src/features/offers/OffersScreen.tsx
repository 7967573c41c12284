import type { SortingState } from '@tanstack/react-table';
import { useCallback, useMemo, useState } from 'react';
import { OFFER_STATUS_LABELS, OFFER_STATUSES, type OfferStatus } from '../../../../shared/domain/offer';
import type { NoticeDoc, OfferDoc } from '../../../../shared/schemas';
import { useSession } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useSyncState } from '../../hooks/use-sync-state';
import { plural } from '../../lib/format';
import { useOfferOnlineDays } from '../../lib/server-settings';
import { useOrganisationCompanies, useOrganisationDoc } from '../companies/use-companies';
import { useNotices } from '../notices/use-notices';
import { OfferDetailPanel } from './OfferDetailPanel';
import { OfferRowActions } from './OfferRowActions';
import { OffersTable } from './OffersTable';
import { directActionTarget, type OfferActionId, offerActions, offerRights } from './offer-actions';
import {
  createOfferIndex,
  type OfferRow,
  type OfferSortColumn,
  queryOffers,
  sharedRowCache,
} from './offer-list';
import { docToForm, duplicateOffer, moveOffer, validateForm } from './offer-model';
import { organisationMembers, useOrganisationOffers } from './use-offers';

type ConfirmAction = 'supprimer' | 'pourvue' | 'archiver';

const CONFIRM_TEXT: Record<ConfirmAction, { title: string; label: string; body: (t: string) => string }> = {
  supprimer: {
    title: 'Supprimer cette offre ?',
    label: 'Supprimer l’offre',
    body: (t) =>
      `L’offre « ${t} » sera retirée et apparaîtra comme « Supprimée ». Vous pourrez toujours la dupliquer.`,
  },
  pourvue: {
    title: 'Marquer cette offre pourvue ?',
    label: 'Marquer pourvue',
    body: (t) =>
      `L’offre « ${t} » sera retirée du portail : le poste est pourvu. Vous pourrez ensuite l’archiver ou la dupliquer.`,
  },
  archiver: {
    title: 'Archiver cette offre ?',
    label: 'Archiver l’offre',
    body: (t) =>
      `L’offre « ${t} » sera archivée et ne sera plus en ligne. Vous pourrez toujours la dupliquer.`,
  },
};

const DEFAULT_SORT: SortingState = [{ id: 'updatedAt', desc: true }];

/** « Mes offres » (seed 001): the organisation's offers with search, filters, actions and history. */
export function OffersScreen() {
  const { db, sync, user, organisation, navigate, announce } = useSession();
  // As this user's server is configured (60 days unless it says otherwise).
  const onlineDays = useOfferOnlineDays();
  const orgId = organisation?.organisationId ?? null;
  const offers = useOrganisationOffers(db, orgId);
  const companies = useOrganisationCompanies(db, orgId);
  const organisationDoc = useOrganisationDoc(db, orgId);
  const members = useMemo(() => organisationMembers(organisationDoc), [organisationDoc]);
  const notices = useNotices(db);
  const { lastSyncAt, pending } = useSyncState(sync); // also re-renders when pending changes move
  const [search, setSearch] = useState('');
  const [statusFilter, setStatusFilter] = useState<'' | OfferStatus>('');
  // The company filter belongs to the organisation it was chosen in.
  const [companyChoice, setCompanyChoice] = useState<{ orgId: string | null; companyId: string }>({
    orgId,
    companyId: '',
  });
  const companyFilter = companyChoice.orgId === orgId ? companyChoice.companyId : '';
  const [sorting, setSorting] = useState<SortingState>(DEFAULT_SORT);
  const [confirm, setConfirm] = useState<{ action: ConfirmAction; offer: OfferDoc } | null>(null);
  const [detailId, setDetailId] = useState<string | null>(null);

  const rows = useMemo(() => (offers ?? []).map(sharedRowCache), [offers]);
  const index = useMemo(() => createOfferIndex(rows), [rows]);
  const sortColumn = (sorting[0]?.id ?? 'updatedAt') as OfferSortColumn;
  const sortDesc = sorting[0]?.desc ?? true;
  const result = useMemo(
    () =>
      queryOffers(
        index,
        {
          query: search,
          status: statusFilter,
          companyId: companyFilter,
          companyName: companies?.find((c) => c.id === companyFilter)?.name,
        },
        { column: sortColumn, desc: sortDesc },
      ),
    [index, search, statusFilter, companyFilter, companies, sortColumn, sortDesc],
  );

  const noticesByOffer = useMemo(() => {
    const m = new Map<string, NoticeDoc>();
    for (const n of notices ?? []) {
      if (!n.documentId || (n.documentCollection && n.documentCollection !== 'offers')) continue;
      if (!m.has(n.documentId) && (!n.readAt || n.kind === 'refus')) m.set(n.documentId, n);
    }
    return m;
  }, [notices]);

  const showCompanyFilter = organisation?.kind === 'agency' || (companies?.length ?? 0) > 1;

  const modify = useCallback(
    async (offer: OfferDoc, to: OfferStatus) => {
      const doc = await db.offers.findOne(offer.id).exec();
      if (!doc) return;
      await doc.incrementalModify((d) => moveOffer(d, to, new Date().toISOString()));
    },
    [db],
  );

  const act = useCallback(
    async (action: OfferActionId, offer: OfferDoc) => {
      const title = offer.title || 'sans titre';
      switch (action) {
        case 'modifier':
        case 'modifier_republier':
          setDetailId(null);
          navigate({ name: 'offer-form', offerId: offer.id });
          return;
        case 'soumettre': {
          if (validateForm(docToForm(offer), true).length > 0) {
            setDetailId(null);
            navigate({ name: 'offer-form', offerId: offer.id, submitOnOpen: true });
            return;
          }
          await modify(offer, 'en_attente');
          announce(
            organisation?.verified === false
              ? `« ${title} » est soumise à la modération. Elle sera publiée une fois votre organisation vérifiée.`
              : `« ${title} » est soumise à la modération : un modérateur va la vérifier, puis elle sera en ligne ${onlineDays} jours.`,
          );
          return;
        }
        case 'retirer':
          await modify(offer, 'brouillon');
          announce(`« ${title} » est retirée de la modération et repasse en brouillon.`);
          return;
        case 'republier': {
          const today = new Date().toISOString().slice(0, 10);
          if (offer.requestedEndDate && offer.requestedEndDate <= today) {
            announce(
              `La date de retrait de « ${title} » est passée : changez-la, puis republiez l’offre (elle repassera en modération).`,
            );
            setDetailId(null);
            navigate({ name: 'offer-form', offerId: offer.id });
            return;
          }
          await modify(offer, 'publiee');
          announce(`« ${title} » est republiée telle quelle pour ${onlineDays} jours.`);
          return;
        }
        case 'supprimer':
        case 'pourvue':
        case 'archiver':
          setConfirm({ action, offer });
          return;
        case 'dupliquer': {
          const copy = duplicateOffer(offer, crypto.randomUUID(), new Date().toISOString(), user.id);
          await db.offers.insert(copy);
          announce(`« ${title} » a été dupliquée : un nouveau brouillon a été créé.`);
          setDetailId(null);
          navigate({ name: 'offer-form', offerId: copy.id });
          return;
        }
      }
    },
    [db, navigate, announce, modify, organisation, user.id, onlineDays],
  );

  async function confirmAction() {
    const c = confirm;
    setConfirm(null);
    if (!c) return;
    const to = directActionTarget(c.action);
    if (!to) return;
    await modify(c.offer, to);
    const title = c.offer.title || 'sans titre';
    announce(
      c.action === 'supprimer'
        ? `« ${title} » a été supprimée.`
        : c.action === 'pourvue'
          ? `« ${title} » est marquée pourvue.`
          : `« ${title} » est archivée.`,
    );
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-created when the pending count moves, so that rows show the new pending states
  const renderTitleExtras = useCallback(
    (row: OfferRow) =>
      sync.isPending('offers', row.id) ? (
        <span className="tag tag--pending" title="Modification pas encore envoyée au serveur">
          Non synchronisée
        </span>
      ) : null,
    [sync, pending],
  );

  const renderNote = useCallback(
    (row: OfferRow) => {
      const o = row.doc;
      if (row.status === 'refusee' && o.moderationReason)
        return (
          <span className="offer-refusal" title={o.moderationReason}>
            Motif du refus : {o.moderationReason}
          </span>
        );
      const notice = noticesByOffer.get(o.id);
      if (!notice) return null;
      const text = `${notice.title} : ${notice.message}${
        notice.fields?.length ? ` (${notice.fields.map((f) => f.message).join(' ')})` : ''
      }`;
      return (
        <span className="offer-refusal" data-testid="offer-notice" title={text}>
          {text}
        </span>
      );
    },
    [noticesByOffer],
  );

  const renderActions = useCallback(
    (row: OfferRow) => (
      <OfferRowActions
        title={row.doc.title}
        actions={offerActions(row.doc, user, organisation)}
        onAction={(a) => void act(a, row.doc)}
      />
    ),
    [user, organisation, act],
  );

  const openDetail = useCallback((row: OfferRow) => setDetailId(row.id), []);

  const detail = useMemo(
    () => (detailId ? ((offers ?? []).find((o) => o.id === detailId) ?? null) : null),
    [offers, detailId],
  );
  const sourceNumber = useMemo(
    () =>
      detail?.duplicatedFrom ? (offers ?? []).find((o) => o.id === detail.duplicatedFrom)?.number : undefined,
    [offers, detail],
  );

  const count = result.rows.length;
  const statusCountLabel = (s: OfferStatus) => `${OFFER_STATUS_LABELS[s]} (${result.counts[s]})`;

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
          {organisation.verified === false ? (
            <div
              className="alert alert--warning banner-unverified"
              role="status"
              data-testid="unverified-banner"
            >
              <strong>Organisation en attente de vérification.</strong> Vous pouvez préparer vos offres et les
              soumettre à la modération, mais aucune ne pourra être publiée tant que la modération n’aura pas
              vérifié « {organisation.organisationName} ».
            </div>
          ) : null}
          <search className="filters filters--offers" aria-label="Filtrer les offres">
            <div className="field">
              <label htmlFor="offer-search">Rechercher par titre ou numéro</label>
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
                <option value="">Toutes les offres ({result.total})</option>
                {OFFER_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {statusCountLabel(s)}
                  </option>
                ))}
              </select>
            </div>
            {showCompanyFilter ? (
              <div className="field">
                <label htmlFor="offer-company-filter">Entreprise</label>
                <select
                  id="offer-company-filter"
                  value={companyFilter}
                  onChange={(e) => setCompanyChoice({ orgId, companyId: e.target.value })}
                >
                  <option value="">Toutes les entreprises clientes</option>
                  {(companies ?? []).map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
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
            <OffersTable
              rows={result.rows}
              sorting={sorting}
              onSortingChange={setSorting}
              caption={`Offres de ${organisation.organisationName}. Les en-têtes de colonnes permettent de trier ; le titre d’une offre ouvre son détail et son historique.`}
              onOpen={openDetail}
              renderTitleExtras={renderTitleExtras}
              renderNote={renderNote}
              renderActions={renderActions}
              resetKey={`${search}|${statusFilter}|${companyFilter}|${sortColumn}|${sortDesc}`}
            />
          )}
        </>
      )}
      <OfferDetailPanel
        offer={detail}
        actions={detail ? offerActions(detail, user, organisation) : []}
        canAct={detail ? offerRights(detail, user, organisation).canAct : false}
        members={members}
        sourceNumber={sourceNumber}
        onAction={(a, o) => void act(a, o)}
        onClose={() => setDetailId(null)}
      />
      <ConfirmDialog
        open={confirm !== null}
        title={confirm ? CONFIRM_TEXT[confirm.action].title : ''}
        confirmLabel={confirm ? CONFIRM_TEXT[confirm.action].label : ''}
        danger={confirm?.action === 'supprimer'}
        onConfirm={() => void confirmAction()}
        onCancel={() => setConfirm(null)}
      >
        <p>{confirm ? CONFIRM_TEXT[confirm.action].body(confirm.offer.title || 'sans titre') : ''}</p>
      </ConfirmDialog>
    </section>
  );
}
