/**
 * Events (DESIGN §4 `events`): job fairs and recruitment sessions, read and edited by their
 * organisers (`org:<organisationId>`, and the partner prescriber of a session).
 *
 * Pushes from the workstation:
 * - a member of an employer, agency or prescriber organisation creates the events of that
 *   organisation: a salon (« planifiee »), a session its prescriber organises itself
 *   (« planifiee »), or, from an employer or agency, a session request (« demandee ») to a
 *   verified partner prescriber about one of its offers;
 * - the members of the organising organisations edit it; cancelling is status « annulee »
 *   (a hard delete is refused);
 * - the partner's members schedule a request (« planifiee » with date and place) or decline it
 *   (« annulee » with a message); the requester gets a notice either way.
 * `createdBy`, `createdAt`, `registrationCount`, `request.byId/byName/at` and `response` are
 * the server's.
 */
import type { SessionUser } from '../../../shared/domain/account';
import { validateEventContent } from '../../../shared/domain/event';
import { type EventDoc, eventSchema } from '../../../shared/schemas/event.schema';
import type { FieldError } from '../../../shared/sync/errors';
import type { Queryable } from '../db/database';
import { sameDocument } from '../sync/canonical';
import type { CollectionDef, Doc, NoticeDraft, PushDecision } from '../sync/types';

export function eventTombstone(id: string): Doc {
  return {
    id,
    organisationId: '',
    kind: 'salon',
    status: 'planifiee',
    name: '',
    date: '',
    offerIds: [],
    colleagueIds: [],
    public: false,
    createdBy: '',
    createdAt: '',
    updatedAt: '',
  };
}

export type EventStatus = EventDoc['status'];
export const EVENT_STATUS_LABELS: Record<EventStatus, string> = {
  demandee: 'demandée',
  planifiee: 'planifiée',
  annulee: 'annulée',
  terminee: 'terminée',
};

const ORGANISER_KINDS = new Set(['employer', 'agency', 'prescriber']);

/** Offers of `organisationId` among `offerIds` (the others are foreign or unknown). */
async function ownOffers(tx: Queryable, organisationId: string, offerIds: string[]): Promise<Set<string>> {
  if (offerIds.length === 0) return new Set();
  const { rows } = await tx.query<{ id: string }>(
    `select id from offers where not deleted and doc->>'organisationId' = $1 and id = any($2::text[])`,
    [organisationId, offerIds],
  );
  return new Set(rows.map((r) => r.id));
}

/** The checks that need the database: offers, colleagues, partner. */
async function checkReferences(tx: Queryable, e: EventDoc): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const own = await ownOffers(tx, e.organisationId, e.offerIds);
  if (e.offerIds.some((id) => !own.has(id)))
    errors.push({
      field: 'offerIds',
      message: 'Les offres présentées doivent être des offres de votre organisation.',
    });
  if (e.colleagueIds.length > 0) {
    const orgs = [e.organisationId, ...(e.partnerOrganisationId ? [e.partnerOrganisationId] : [])];
    const { rows } = await tx.query<{ account_id: string }>(
      `select account_id::text from memberships
        where organisation_id::text = any($1::text[]) and account_id::text = any($2::text[])`,
      [orgs, e.colleagueIds],
    );
    const members = new Set(rows.map((r) => r.account_id));
    if (e.colleagueIds.some((id) => !members.has(id)))
      errors.push({
        field: 'colleagueIds',
        message: 'Les collègues qui participent doivent être membres de l’organisation.',
      });
  }
  return errors;
}

async function verifiedPrescriber(tx: Queryable, id: string): Promise<boolean> {
  const { rows } = await tx.query<{ ok: boolean }>(
    `select true as ok from organisations where id::text = $1 and kind = 'prescriber' and verified`,
    [id],
  );
  return rows.length > 0;
}

const refuse = (title: string, message: string, fields?: FieldError[]): PushDecision => ({
  kind: 'refuse',
  refusal: { title, message, ...(fields && fields.length > 0 ? { fields } : {}) },
});

function organiserOf(user: SessionUser, organisationId: string | undefined) {
  if (!organisationId) return undefined;
  return user.memberships.find((m) => m.organisationId === organisationId && ORGANISER_KINDS.has(m.kind));
}

const who = (user: SessionUser) => `${user.firstName} ${user.lastName}`.trim().slice(0, 120);

/** The content an organiser may set (everything but identity, status and the server's fields). */
const CONTENT_FIELDS = [
  'name',
  'description',
  'date',
  'startTime',
  'endTime',
  'place',
  'offerIds',
  'colleagueIds',
  'public',
] as const;

function cleanPlace(place: EventDoc['place']): EventDoc['place'] | undefined {
  if (!place) return undefined;
  const out: NonNullable<EventDoc['place']> = {};
  for (const k of ['label', 'address', 'postalCode', 'city', 'inseeCode'] as const) {
    const v = place[k]?.trim();
    if (v) out[k] = v;
  }
  if (typeof place.lat === 'number' && typeof place.lon === 'number') {
    out.lat = place.lat;
    out.lon = place.lon;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `base` with the incoming content fields (trimmed; empty optional ones removed). */
function withContent(base: EventDoc, incoming: EventDoc): EventDoc {
  const doc: EventDoc = { ...base };
  for (const f of CONTENT_FIELDS) delete (doc as Record<string, unknown>)[f];
  doc.name = incoming.name.trim();
  doc.date = incoming.date;
  doc.offerIds = [...incoming.offerIds];
  doc.colleagueIds = [...incoming.colleagueIds];
  doc.public = incoming.public === true;
  const description = incoming.description?.trim();
  if (description) doc.description = description;
  if (incoming.startTime) doc.startTime = incoming.startTime;
  if (incoming.endTime) doc.endTime = incoming.endTime;
  const place = cleanPlace(incoming.place);
  if (place) doc.place = place;
  return doc;
}

async function decideNew(
  user: SessionUser,
  tx: Queryable,
  now: Date,
  incoming: EventDoc,
): Promise<PushDecision> {
  const m = organiserOf(user, incoming.organisationId);
  if (!m)
    return refuse(
      'Organisation non autorisée',
      'Seuls les membres d’un employeur, d’une agence ou d’un prescripteur créent les événements de leur organisation.',
      [{ field: 'organisationId', message: 'Vous n’êtes pas membre de cette organisation.' }],
    );
  const at = now.toISOString();
  let doc: EventDoc = withContent(
    {
      id: incoming.id,
      organisationId: incoming.organisationId,
      kind: incoming.kind,
      status: incoming.status,
      registrationCount: 0,
      createdBy: user.id,
      createdAt: at,
      updatedAt: at,
    } as EventDoc,
    incoming,
  );
  const request = incoming.kind === 'session' && m.kind !== 'prescriber';
  const errors: FieldError[] = [];
  if (request) {
    if (incoming.status !== 'demandee')
      errors.push({
        field: 'status',
        message: 'Une session de recrutement se demande à un prescripteur partenaire, qui la planifie.',
      });
    const partner = incoming.partnerOrganisationId;
    if (!partner || partner === incoming.organisationId || !(await verifiedPrescriber(tx, partner)))
      errors.push({
        field: 'partnerOrganisationId',
        message:
          'Choisissez le prescripteur partenaire (une organisation vérifiée) qui organisera la session.',
      });
    const offerId = incoming.request?.offerId;
    if (!offerId || !(await ownOffers(tx, incoming.organisationId, [offerId])).has(offerId))
      errors.push({
        field: 'request.offerId',
        message: 'Choisissez l’offre de votre organisation pour laquelle vous demandez la session.',
      });
    const message = incoming.request?.message?.trim() ?? '';
    if (!message)
      errors.push({
        field: 'request.message',
        message: 'Expliquez votre besoin au prescripteur (postes, profils, période souhaitée).',
      });
    doc = {
      ...doc,
      ...(partner ? { partnerOrganisationId: partner } : {}),
      request: {
        ...(offerId ? { offerId } : {}),
        byId: user.id,
        byName: who(user),
        message,
        at,
      },
    };
    if (offerId && !doc.offerIds.includes(offerId)) doc.offerIds = [offerId, ...doc.offerIds].slice(0, 50);
  } else {
    if (incoming.status !== 'planifiee')
      errors.push({ field: 'status', message: 'Un nouvel événement est enregistré « planifié ».' });
    if (incoming.partnerOrganisationId || incoming.request)
      errors.push({
        field: 'partnerOrganisationId',
        message:
          incoming.kind === 'salon'
            ? 'Un salon n’a pas de prescripteur partenaire.'
            : 'Votre organisation organise elle-même cette session : elle n’a pas de partenaire à solliciter.',
      });
  }
  errors.push(
    ...validateEventContent(doc, now, { dateRequired: !request, checkDate: true }),
    ...(await checkReferences(tx, doc)),
  );
  if (errors.length > 0)
    return refuse(
      'Événement incomplet',
      'L’événement contient des erreurs et n’a pas été enregistré.',
      errors,
    );
  return { kind: 'write', doc: doc as unknown as Doc };
}

const SERVER_FIELDS = ['registrationCount', 'createdBy', 'createdAt', 'request', 'response'] as const;

export const eventsCollection: CollectionDef = {
  name: 'events',
  table: 'events',
  version: eventSchema.version,
  schema: eventSchema,
  keysFor(doc) {
    const e = doc as unknown as EventDoc;
    return [
      `org:${e.organisationId}`,
      ...(e.partnerOrganisationId ? [`org:${e.partnerOrganisationId}`] : []),
    ];
  },
  tombstone: eventTombstone,
  async decide({ tx, user, now }, masterDoc, incomingDoc, incomingDeleted) {
    const master = masterDoc as unknown as EventDoc | null;
    const incoming = incomingDoc as unknown as EventDoc;
    if (incomingDeleted)
      return refuse(
        'Suppression refusée',
        'Un événement ne s’efface pas : annulez-le (statut « annulé »), ses candidats restent dans vos candidatures.',
      );
    if (!master) return decideNew(user, tx, now, incoming);

    const owner = organiserOf(user, master.organisationId);
    const partner = organiserOf(user, master.partnerOrganisationId);
    if (!owner && !partner)
      return refuse(
        'Modification refusée',
        'Seuls les membres des organisations qui organisent cet événement peuvent le modifier.',
      );
    for (const f of ['organisationId', 'kind', 'partnerOrganisationId'] as const) {
      if ((incoming[f] ?? null) !== (master[f] ?? null))
        return refuse(
          'Modification refusée',
          f === 'kind'
            ? 'Le type d’un événement (salon ou session) ne change pas : créez-en un autre.'
            : f === 'organisationId'
              ? 'Un événement ne change pas d’organisation.'
              : 'Le prescripteur partenaire d’une session ne change pas : annulez-la et demandez-en une autre.',
          [{ field: f, message: 'Ce champ ne peut pas être modifié.' }],
        );
    }
    const from = master.status;
    const to = incoming.status;
    const at = now.toISOString();
    const notices: NoticeDraft[] = [];
    let doc = withContent(master, incoming);
    for (const f of SERVER_FIELDS) {
      const v = master[f];
      if (v === undefined) delete (doc as Record<string, unknown>)[f];
      else (doc as Record<string, unknown>)[f] = v;
    }
    doc.status = to;
    doc.updatedAt = at;

    if (to !== from) {
      const requester = master.request?.byId ?? master.createdBy;
      const answer = (decision: 'planifiee' | 'annulee') => {
        const message = incoming.response?.message?.trim() ?? '';
        doc.response = {
          decision,
          byId: user.id,
          byName: who(user),
          ...(message ? { message: message.slice(0, 2000) } : {}),
          at,
        };
        const partnerName =
          user.memberships.find((x) => x.organisationId === master.partnerOrganisationId)?.organisationName ??
          'Le prescripteur';
        notices.push({
          userId: requester,
          kind: 'information',
          collection: 'events',
          documentId: master.id,
          title:
            decision === 'planifiee' ? 'Session de recrutement planifiée' : 'Session de recrutement déclinée',
          message:
            decision === 'planifiee'
              ? `${partnerName} a planifié la session « ${doc.name} » le ${doc.date}${doc.startTime ? ` à ${doc.startTime}` : ''}${doc.place?.label || doc.place?.city ? `, ${[doc.place?.label, doc.place?.city].filter(Boolean).join(', ')}` : ''}.${message ? ` Message : ${message}` : ''}`
              : `${partnerName} ne peut pas organiser la session « ${doc.name} ».${message ? ` Motif : ${message}` : ''}`,
        });
      };
      if (from === 'demandee' && to === 'planifiee') {
        if (!partner)
          return refuse(
            'Planification refusée',
            'Seul le prescripteur partenaire planifie une session qui lui est demandée.',
            [{ field: 'status', message: 'Vous ne pouvez pas planifier cette session.' }],
          );
        answer('planifiee');
      } else if (from === 'demandee' && to === 'annulee') {
        if (partner && !owner) {
          if (!incoming.response?.message?.trim())
            return refuse('Réponse incomplète', 'Expliquez au recruteur pourquoi vous déclinez la session.', [
              { field: 'response.message', message: 'Indiquez le motif du refus.' },
            ]);
          answer('annulee');
        }
      } else if (
        !(
          (from === 'planifiee' && (to === 'annulee' || to === 'terminee')) ||
          (from === 'annulee' && to === 'planifiee' && master.response?.decision !== 'annulee') ||
          (from === 'terminee' && to === 'planifiee')
        )
      ) {
        return refuse(
          'Changement de statut refusé',
          `Un événement « ${EVENT_STATUS_LABELS[from]} » ne peut pas passer à « ${EVENT_STATUS_LABELS[to]} ».`,
          [{ field: 'status', message: 'Ce changement de statut n’est pas autorisé.' }],
        );
      }
    } else if (from === 'demandee' && partner && !owner) {
      // The partner answers a request by scheduling or declining it, not by editing it.
      const changed = CONTENT_FIELDS.some((f) => !sameDocument(incoming[f] ?? null, master[f] ?? null));
      if (changed)
        return refuse(
          'Modification refusée',
          'Planifiez la session (date, horaires, lieu) ou déclinez-la : la demande elle-même est celle du recruteur.',
        );
    }
    if (owner && from === 'demandee' && to === 'demandee' && incoming.request?.message?.trim()) {
      // The requester may reword its request while it waits.
      doc.request = { ...master.request, message: incoming.request.message.trim().slice(0, 2000) };
    }
    const dateChanged = doc.date !== master.date;
    const errors = [
      ...validateEventContent(doc, now, {
        dateRequired: to !== 'demandee' && !(to === 'annulee' && from === 'demandee'),
        checkDate: dateChanged,
      }),
      ...(await checkReferences(tx, doc)).filter(
        // Offers already presented stay (an offer may move to another organisation later).
        (e) => e.field !== 'offerIds' || doc.offerIds.some((id) => !master.offerIds.includes(id)),
      ),
    ];
    if (
      to === 'planifiee' &&
      from === 'demandee' &&
      doc.kind === 'session' &&
      !doc.place?.label &&
      !doc.place?.city
    )
      errors.push({ field: 'place', message: 'Indiquez le lieu de la session : son nom ou sa commune.' });
    if (errors.length > 0)
      return refuse(
        'Événement incomplet',
        'L’événement contient des erreurs et n’a pas été enregistré.',
        errors,
      );
    doc = { ...doc };
    return { kind: 'write', doc: doc as unknown as Doc, ...(notices.length > 0 ? { notices } : {}) };
  },
};
