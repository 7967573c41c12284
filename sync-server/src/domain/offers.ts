import type { SessionUser } from '../../../shared/domain/account';
import {
  canRecruiterMoveOffer,
  historyActionFor,
  OFFER_EDITABLE_STATUSES,
  OFFER_ONLINE_DAYS,
  OFFER_SERVER_FIELDS,
  OFFER_STATUS_LABELS,
  type OfferContent,
  type OfferHistoryAction,
  type OfferStatus,
  validateOfferContent,
} from '../../../shared/domain/offer';
import { expiryDate } from '../../../shared/domain/offer-lifecycle';
import { offerNumberFromSequence } from '../../../shared/domain/offer-number';
import type { OfferDoc } from '../../../shared/schemas/offer.schema';
import { blankOffer, offerSchema } from '../../../shared/schemas/offer.schema';
import type { Queryable } from '../db/database';
import { sameDocument } from '../sync/canonical';
import type { CollectionDef, Doc, NoticeDraft, PushDecision } from '../sync/types';
import { moderationFlagsFor } from './offer-moderation-flags';

/** Settings of the offer lifecycle (the server's configuration sets them at start). */
export const offerSettings = { onlineDays: OFFER_ONLINE_DAYS };

/** Fields that do not belong to an offer's content (status and server bookkeeping). */
const NON_CONTENT = new Set<string>([
  ...OFFER_SERVER_FIELDS,
  'id',
  'organisationId',
  'status',
  'previousStatus',
]);

function content(doc: Doc): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !NON_CONTENT.has(k)));
}

export function offerWriteOrganisations(user: SessionUser): string[] {
  return user.memberships
    .filter((m) => m.kind === 'employer' || m.kind === 'agency')
    .map((m) => m.organisationId);
}

function isOrganisationAdmin(user: SessionUser, organisationId: string): boolean {
  const m = user.memberships.find((x) => x.organisationId === organisationId);
  return !!m && (m.kind === 'employer' || m.kind === 'agency') && m.role === 'admin';
}

/**
 * Who acts on an offer (and, later, on its applications): its author, the co-recruiters the
 * author named, and the administrators of its organisation — all of them members of it.
 */
export function mayActOnOffer(
  user: SessionUser,
  offer: Pick<OfferDoc, 'organisationId' | 'authorId' | 'coRecruiterIds'>,
): boolean {
  const m = user.memberships.find((x) => x.organisationId === offer.organisationId);
  if (!m || (m.kind !== 'employer' && m.kind !== 'agency')) return false;
  return m.role === 'admin' || offer.authorId === user.id || (offer.coRecruiterIds ?? []).includes(user.id);
}

/** Co-recruiters are named by the author or an administrator only. */
function mayNameCoRecruiters(
  user: SessionUser,
  offer: Pick<OfferDoc, 'organisationId' | 'authorId'>,
): boolean {
  return offer.authorId === user.id || isOrganisationAdmin(user, offer.organisationId);
}

const refuse = (
  title: string,
  message: string,
  fields?: { field: string; message: string }[],
): PushDecision => ({
  kind: 'refuse',
  refusal: { title, message, ...(fields ? { fields } : {}) },
});

/** When a published offer goes offline: the configured lifetime, or the withdrawal date if sooner. */
export function expiryFor(now: Date, requestedEndDate?: string): string {
  return expiryDate(now, offerSettings.onlineDays, requestedEndDate).toISOString();
}

async function nextOfferNumber(tx: Queryable): Promise<string> {
  const { rows } = await tx.query<{ n: string }>("select nextval('offer_number_seq')::text as n");
  return offerNumberFromSequence(Number(rows[0]!.n));
}

export function displayName(user: Pick<SessionUser, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`.trim().slice(0, 120);
}

type HistoryEntry = NonNullable<OfferDoc['history']>[number];

export function historyEntry(
  at: string,
  action: OfferHistoryAction,
  by: { id: string; name: string } | null,
  extra: { from?: OfferStatus; to?: OfferStatus; reason?: string } = {},
): HistoryEntry {
  return {
    at,
    action,
    ...(by ? { by: by.id, byName: by.name } : {}),
    ...(extra.from ? { from: extra.from } : {}),
    ...(extra.to ? { to: extra.to } : {}),
    ...(extra.reason ? { reason: extra.reason.slice(0, 1000) } : {}),
  };
}

/** Appends to a history, keeping the schema's bound (the oldest entries after the first go first). */
export function appendHistory(history: HistoryEntry[] | undefined, entry: HistoryEntry): HistoryEntry[] {
  const next = [...(history ?? []), entry];
  return next.length > 500 ? [next[0]!, ...next.slice(next.length - 499)] : next;
}

/**
 * Checks the references an offer makes: its company profile belongs to its organisation,
 * its co-recruiters are members of it, and its ROME appellation exists (which also gives
 * the ROME code and, if missing, the job title).
 */
async function checkReferences(
  tx: Queryable,
  offer: Record<string, unknown>,
): Promise<{ field: string; message: string }[]> {
  const errors: { field: string; message: string }[] = [];
  const organisationId = String(offer.organisationId);
  if (typeof offer.companyId === 'string') {
    const { rows } = await tx.query<{ name: string }>(
      `select doc->>'name' as name from companies
        where id = $1 and not deleted and doc->>'organisationId' = $2`,
      [offer.companyId, organisationId],
    );
    if (rows.length === 0)
      errors.push({
        field: 'companyId',
        message: 'Cette fiche entreprise n’existe pas ou n’appartient pas à votre organisation.',
      });
    else if (!offer.companyName) offer.companyName = rows[0]!.name;
  }
  const coRecruiters = (offer.coRecruiterIds as string[] | undefined) ?? [];
  if (coRecruiters.length > 0) {
    const { rows } = await tx.query<{ account_id: string }>(
      `select account_id::text from memberships
        where organisation_id::text = $1 and account_id::text = any($2::text[])`,
      [organisationId, coRecruiters],
    );
    const members = new Set(rows.map((r) => r.account_id));
    const strangers = coRecruiters.filter((id) => !members.has(id));
    if (strangers.length > 0)
      errors.push({
        field: 'coRecruiterIds',
        message: 'Les co-recruteurs doivent être membres de l’organisation de l’offre.',
      });
  }
  if (typeof offer.appellationCode === 'string') {
    const { rows } = await tx.query<{ label: string; rome_code: string }>(
      'select label, rome_code from rome_appellations where code_ogr = $1',
      [offer.appellationCode],
    );
    const found = rows[0];
    if (!found)
      errors.push({
        field: 'appellationCode',
        message: 'Ce métier n’existe pas dans le référentiel ROME : choisissez-le dans la liste.',
      });
    else {
      offer.romeCode = found.rome_code;
      if (!String(offer.jobTitle ?? '').trim()) offer.jobTitle = found.label.slice(0, 150);
    }
  }
  return errors;
}

async function isVerified(tx: Queryable, organisationId: string): Promise<boolean> {
  const { rows } = await tx.query<{ verified: boolean }>(
    'select verified from organisations where id::text = $1',
    [organisationId],
  );
  return rows[0]?.verified === true;
}

export const offersCollection: CollectionDef = {
  name: 'offers',
  table: 'offers',
  version: offerSchema.version,
  schema: offerSchema,
  keysFor(doc) {
    const keys = [`org:${String(doc.organisationId)}`];
    if (doc.status === 'en_attente') keys.push('moderation');
    if (doc.status === 'publiee') keys.push('published');
    return keys;
  },
  tombstone(id) {
    return blankOffer(id, '', 'supprimee', '');
  },
  async decide({ tx, user, now }, masterDoc, incomingDoc, incomingDeleted) {
    const master = masterDoc as OfferDoc | null;
    const incoming = incomingDoc as unknown as OfferDoc;
    const nowIso = now.toISOString();
    const me = { id: user.id, name: displayName(user) };
    if (incomingDeleted) {
      return refuse(
        'Suppression refusée',
        'Une offre ne peut pas être effacée définitivement : utilisez « Supprimer », qui la garde dans vos offres.',
      );
    }
    const writable = offerWriteOrganisations(user);
    if (!writable.includes(incoming.organisationId)) {
      return refuse(
        'Organisation non autorisée',
        'Vous ne pouvez pas gérer d’offres pour cette organisation.',
        [{ field: 'organisationId', message: 'Vous n’êtes pas membre recruteur de cette organisation.' }],
      );
    }
    const target = incoming.status as OfferStatus;

    if (!master) {
      if (target !== 'brouillon' && target !== 'en_attente') {
        return refuse(
          'Statut non autorisé',
          'Une nouvelle offre est enregistrée en brouillon ou soumise à la modération.',
          [
            {
              field: 'status',
              message: `Statut « ${OFFER_STATUS_LABELS[target]} » impossible à la création.`,
            },
          ],
        );
      }
      const doc: Record<string, unknown> = { ...content(incoming as unknown as Doc) };
      doc.organisationId = incoming.organisationId;
      const errors = [
        ...validateOfferContent(doc as Partial<OfferContent>, target === 'en_attente'),
        ...(await checkReferences(tx, doc)),
      ];
      if (errors.length > 0)
        return refuse('Offre incomplète', 'L’offre contient des erreurs et n’a pas été enregistrée.', errors);
      let history = [
        historyEntry(nowIso, incoming.duplicatedFrom ? 'duplication' : 'creation', me, { to: 'brouillon' }),
      ];
      if (target === 'en_attente')
        history = appendHistory(
          history,
          historyEntry(nowIso, 'soumission', me, { from: 'brouillon', to: 'en_attente' }),
        );
      Object.assign(doc, {
        id: incoming.id,
        status: target,
        number: await nextOfferNumber(tx),
        authorId: user.id,
        createdAt: nowIso,
        updatedAt: nowIso,
        history,
        ...(target === 'en_attente'
          ? { submittedAt: nowIso, moderationFlags: await moderationFlagsFor(tx, doc) }
          : {}),
      });
      return { kind: 'write', doc: doc as Doc };
    }

    if (!mayActOnOffer(user, master)) {
      return refuse(
        'Modification refusée',
        'Seuls l’auteur de l’offre, ses co-recruteurs et les administrateurs de l’organisation peuvent agir sur elle.',
      );
    }
    if (incoming.organisationId !== master.organisationId) {
      if (!isOrganisationAdmin(user, master.organisationId) || !writable.includes(incoming.organisationId))
        return refuse(
          'Transfert refusé',
          'Seul un administrateur des deux organisations peut transférer une offre de l’une à l’autre.',
          [{ field: 'organisationId', message: 'Transfert non autorisé.' }],
        );
    }
    if (
      !sameDocument(incoming.coRecruiterIds ?? [], master.coRecruiterIds ?? []) &&
      !mayNameCoRecruiters(user, master)
    ) {
      return refuse(
        'Co-recruteurs non modifiables',
        'Seuls l’auteur de l’offre et les administrateurs de l’organisation choisissent les co-recruteurs.',
        [
          {
            field: 'coRecruiterIds',
            message: 'Vous ne pouvez pas changer les co-recruteurs de cette offre.',
          },
        ],
      );
    }
    const from = master.status as OfferStatus;
    let status: OfferStatus = target;
    if (!canRecruiterMoveOffer(from, target)) {
      return refuse(
        'Changement de statut refusé',
        `Une offre « ${OFFER_STATUS_LABELS[from]} » ne peut pas passer au statut « ${OFFER_STATUS_LABELS[target]} ».`,
        [{ field: 'status', message: 'Ce changement de statut n’est pas autorisé.' }],
      );
    }
    const contentChanged = !sameDocument(
      content(incoming as unknown as Doc),
      content(master as unknown as Doc),
    );
    const editable =
      OFFER_EDITABLE_STATUSES.includes(from) || (from === 'expiree' && target === 'en_attente');
    if (contentChanged && !editable) {
      return refuse(
        'Modification refusée',
        `Une offre au statut « ${OFFER_STATUS_LABELS[from]} » ne peut plus être modifiée. Dupliquez-la pour en créer une nouvelle.`,
      );
    }
    // A published offer that is edited goes back to moderation.
    if (contentChanged && from === 'publiee' && status === 'publiee') status = 'en_attente';
    if (from === 'expiree' && status === 'publiee') {
      if (contentChanged)
        return refuse(
          'Republication refusée',
          'Une offre expirée modifiée repasse par la modération : soumettez-la au lieu de la republier telle quelle.',
          [{ field: 'status', message: 'Soumettez l’offre modifiée à la modération.' }],
        );
      if (!(await isVerified(tx, master.organisationId)))
        return refuse(
          'Republication impossible',
          'Votre organisation n’est pas encore vérifiée par la modération : ses offres ne peuvent pas être mises en ligne.',
        );
    }
    const doc: Record<string, unknown> = {
      ...content(incoming as unknown as Doc),
      id: master.id,
      organisationId: incoming.organisationId,
      status,
    };
    for (const f of OFFER_SERVER_FIELDS) {
      const v = (master as Record<string, unknown>)[f];
      if (v !== undefined) doc[f] = v;
    }
    if (status !== 'supprimee') {
      const errors = [
        ...validateOfferContent(
          doc as Partial<OfferContent>,
          status === 'en_attente' || status === 'publiee',
        ),
        ...(contentChanged ? await checkReferences(tx, doc) : []),
      ];
      if (errors.length > 0)
        return refuse('Offre incomplète', 'L’offre contient des erreurs et n’a pas été enregistrée.', errors);
    }
    doc.updatedAt = nowIso;
    if (status === 'supprimee') doc.previousStatus = from === 'supprimee' ? master.previousStatus : from;
    else if (master.previousStatus !== undefined && status === from)
      doc.previousStatus = master.previousStatus;
    if (status === 'en_attente' && from !== 'en_attente') doc.submittedAt = nowIso;
    if (status === 'en_attente' && (from !== 'en_attente' || contentChanged))
      doc.moderationFlags = await moderationFlagsFor(tx, doc);
    if (status === 'publiee' && from === 'expiree') {
      doc.publishedAt = nowIso;
      doc.expiresAt = expiryFor(now, incoming.requestedEndDate);
      delete doc.expiryWarnedAt;
    }
    if (status === 'brouillon' || status === 'en_attente') delete doc.moderationReason;
    const action = historyActionFor(from, status);
    if (action)
      doc.history = appendHistory(master.history, historyEntry(nowIso, action, me, { from, to: status }));
    const notices: NoticeDraft[] = [];
    if (status === 'en_attente' && from === 'publiee')
      notices.push({
        userId: user.id,
        kind: 'information',
        collection: 'offers',
        documentId: master.id,
        title: 'Offre renvoyée en modération',
        message: `L’offre « ${incoming.title} » a été modifiée : elle repasse en modération avant d’être de nouveau en ligne.`,
      });
    return { kind: 'write', doc: doc as Doc, ...(notices.length > 0 ? { notices } : {}) };
  },
};
