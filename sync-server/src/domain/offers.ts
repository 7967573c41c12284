import type { SessionUser } from '../../../shared/domain/account';
import {
  canRecruiterMoveOffer,
  OFFER_EDITABLE_STATUSES,
  OFFER_ONLINE_DAYS,
  OFFER_SERVER_FIELDS,
  OFFER_STATUS_LABELS,
  type OfferStatus,
  validateOfferContent,
} from '../../../shared/domain/offer';
import type { OfferDoc } from '../../../shared/schemas/offer.schema';
import { blankOffer, offerSchema } from '../../../shared/schemas/offer.schema';
import type { Queryable } from '../db/database';
import { sameDocument } from '../sync/canonical';
import type { CollectionDef, Doc, PushDecision } from '../sync/types';

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

function mayEdit(user: SessionUser, offer: OfferDoc): boolean {
  const m = user.memberships.find((x) => x.organisationId === offer.organisationId);
  if (!m || (m.kind !== 'employer' && m.kind !== 'agency')) return false;
  return m.role === 'admin' || offer.authorId === user.id;
}

const refuse = (
  title: string,
  message: string,
  fields?: { field: string; message: string }[],
): PushDecision => ({
  kind: 'refuse',
  refusal: { title, message, ...(fields ? { fields } : {}) },
});

function expiryFor(now: Date, requestedEndDate?: string): string {
  const max = new Date(now.getTime() + OFFER_ONLINE_DAYS * 24 * 3600 * 1000);
  if (requestedEndDate) {
    const requested = new Date(`${requestedEndDate}T23:59:59.999Z`);
    if (!Number.isNaN(requested.getTime()) && requested < max && requested > now)
      return requested.toISOString();
  }
  return max.toISOString();
}

async function nextOfferNumber(tx: Queryable): Promise<string> {
  const { rows } = await tx.query<{ n: string }>("select nextval('offer_number_seq')::text as n");
  return rows[0]!.n;
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
      const errors = validateOfferContent(incoming, target === 'en_attente');
      if (errors.length > 0)
        return refuse('Offre incomplète', 'L’offre contient des erreurs et n’a pas été enregistrée.', errors);
      const doc: Record<string, unknown> = { ...content(incoming as unknown as Doc) };
      Object.assign(doc, {
        id: incoming.id,
        organisationId: incoming.organisationId,
        status: target,
        number: await nextOfferNumber(tx),
        authorId: user.id,
        createdAt: nowIso,
        updatedAt: nowIso,
        ...(target === 'en_attente' ? { submittedAt: nowIso } : {}),
      });
      return { kind: 'write', doc: doc as Doc };
    }

    if (!mayEdit(user, master)) {
      return refuse(
        'Modification refusée',
        'Seuls l’auteur de l’offre et les administrateurs de l’organisation peuvent la modifier.',
      );
    }
    if (incoming.organisationId !== master.organisationId && !writable.includes(master.organisationId)) {
      return refuse('Transfert refusé', 'Vous ne pouvez pas transférer cette offre.');
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
    if (contentChanged && !OFFER_EDITABLE_STATUSES.includes(from)) {
      return refuse(
        'Modification refusée',
        `Une offre au statut « ${OFFER_STATUS_LABELS[from]} » ne peut plus être modifiée. Dupliquez-la pour en créer une nouvelle.`,
      );
    }
    // A published offer that is edited goes back to moderation.
    if (contentChanged && from === 'publiee' && status === 'publiee') status = 'en_attente';
    if (status !== 'supprimee') {
      const errors = validateOfferContent(incoming, status === 'en_attente');
      if (errors.length > 0)
        return refuse('Offre incomplète', 'L’offre contient des erreurs et n’a pas été enregistrée.', errors);
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
    doc.updatedAt = nowIso;
    if (status === 'supprimee') doc.previousStatus = from === 'supprimee' ? master.previousStatus : from;
    else if (master.previousStatus !== undefined && status === from)
      doc.previousStatus = master.previousStatus;
    if (status === 'en_attente' && from !== 'en_attente') doc.submittedAt = nowIso;
    const notices =
      status === 'en_attente' && from === 'publiee'
        ? [
            {
              userId: user.id,
              kind: 'information' as const,
              collection: 'offers',
              documentId: master.id,
              title: 'Offre renvoyée en modération',
              message: `L’offre « ${incoming.title} » a été modifiée : elle repasse en modération avant d’être de nouveau en ligne.`,
            },
          ]
        : undefined;
    return { kind: 'write', doc: doc as Doc, ...(notices ? { notices } : {}) };
  },
};

export { expiryFor };
