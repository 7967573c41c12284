/**
 * Routes of fairs and recruitment sessions (issue 6; seed 002 « événements »):
 * - `GET /api/organisations/prescribers?q=`: verified prescriber organisations (id, name, city),
 *   for a recruiter's session request (signed-in recruiter).
 * - `GET /api/public/events[?evenement=<id>&invitation=<token>]`: the portal's agenda: public,
 *   planned, upcoming events, and the private one an invitation opens.
 * - `GET /api/public/events/:id[?invitation=<token>]`: one of them.
 * - `POST /api/public/events/:id/registrations` {firstName, lastName, email, phone?, offerId?,
 *   via?, invitation?, consent: true}: an application of the event's organisation (source « salon » or « session »,
 *   `eventId`, status « nouvelle »), the event's `registrationCount` incremented, a confirmation
 *   e-mail; limited per address and hour like the public applications.
 * Routes decode and encode; the functions below do the work.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { APPLICATION_LIMITS } from '../../../shared/domain/application';
import { REGISTRATION_VIA, type RegistrationVia } from '../../../shared/domain/event-registration';
import { parisDay } from '../../../shared/domain/offer-lifecycle';
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import type { EventDoc } from '../../../shared/schemas/event.schema';
import type { FieldError } from '../../../shared/sync/errors';
import { requireUser } from '../auth/request-user';
import { hashToken } from '../auth/sessions';
import { isId, PHONE, textField } from '../candidate/application-service';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { queueEmail } from '../email/outbox';
import { badRequest, forbidden, HttpError, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import type { Doc } from '../sync/types';
import { writeApplication } from './applications';
import { eventsCollection } from './events';
import { asRecord, frenchDate, isTokenShape, linkBase, validEmail } from './route-helpers';

/** Registrations allowed per address and hour (the public applications allow as many). */
export const EVENT_REGISTRATION_LIMIT_PER_HOUR = 10;

/** The consent text shown on the registration form (stored with the application). */
export const EVENT_REGISTRATION_CONSENT_TEXT =
  'J’accepte que mes données (identité et coordonnées) soient transmises à l’organisateur de cet événement et conservées pour le traitement de ma candidature, au plus 2 ans.';

export interface PrescriberChoice {
  id: string;
  name: string;
  city?: string;
}

export interface PublicEventOffer {
  id: string;
  title: string;
  companyName?: string;
  city?: string;
}

export interface PublicEvent {
  id: string;
  kind: 'salon' | 'session';
  name: string;
  description?: string;
  date: string;
  startTime?: string;
  endTime?: string;
  place?: { label?: string; address?: string; postalCode?: string; city?: string };
  organisationName: string;
  offers: PublicEventOffer[];
  /** A private event, shown only to the holder of an invitation (issue 6). */
  invitationOnly?: true;
}

/** Verified prescriber organisations whose name or city matches `q` (accents ignored). */
export async function searchPrescribers(db: Queryable, q: string): Promise<PrescriberChoice[]> {
  const words = q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5)
    .map((w) => w.replace(/[%_\\]/g, ''));
  const params: unknown[] = [];
  const conds = words.map((w) => {
    params.push(`%${w}%`);
    return `lower(unaccent(o.name || ' ' || coalesce(o.address->>'city', ''))) like lower(unaccent($${params.length}))`;
  });
  const { rows } = await db.query<{ id: string; name: string; city: string | null }>(
    `select o.id::text as id, o.name, o.address->>'city' as city
       from organisations o
      where o.kind = 'prescriber' and o.verified${conds.map((c) => ` and ${c}`).join('')}
      order by o.name, o.id limit 20`,
    params,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, ...(r.city ? { city: r.city } : {}) }));
}

const OPEN_EVENT = `not e.deleted and e.doc->>'public' = 'true' and e.doc->>'status' = 'planifiee' and e.doc->>'date' >= $1`;

/**
 * An event open to the holder of an invitation token (`$2` the event, `$3` the token's hash):
 * planned, upcoming, public or not. A private session is announced to no one else.
 */
const INVITED_EVENT = `not e.deleted and e.doc->>'status' = 'planifiee' and e.doc->>'date' >= $1 and e.id = $2
  and exists (select 1 from event_invitations i where i.event_id = e.id and i.token_hash = $3)`;

/** An invitation as a portal link carries it: the event and the token of one invitation. */
export interface InvitationKey {
  eventId: string;
  token: string;
}

async function publicOffers(db: Queryable, ids: string[]): Promise<PublicEventOffer[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string; doc: Record<string, unknown> }>(
    `select id, doc from offers where not deleted and doc->>'status' = 'publiee' and id = any($1::text[])`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r.doc]));
  const out: PublicEventOffer[] = [];
  for (const id of ids) {
    const d = byId.get(id);
    if (!d) continue;
    const o: PublicEventOffer = { id, title: String(d.title ?? 'Offre') };
    if (typeof d.companyName === 'string' && d.companyName) o.companyName = d.companyName;
    if (typeof d.city === 'string' && d.city) o.city = d.city;
    out.push(o);
  }
  return out;
}

function toPublic(doc: EventDoc, organisationName: string, offers: PublicEventOffer[]): PublicEvent {
  const out: PublicEvent = {
    id: doc.id,
    kind: doc.kind,
    name: doc.name,
    date: doc.date,
    organisationName,
    offers,
  };
  if (doc.description) out.description = doc.description;
  if (doc.startTime) out.startTime = doc.startTime;
  if (doc.endTime) out.endTime = doc.endTime;
  if (doc.place) {
    const { label, address, postalCode, city } = doc.place;
    out.place = {
      ...(label ? { label } : {}),
      ...(address ? { address } : {}),
      ...(postalCode ? { postalCode } : {}),
      ...(city ? { city } : {}),
    };
  }
  return out;
}

/**
 * The agenda: public planned events from today (Paris), by date and time; with `invitation`, also
 * the private event that invitation opens (marked `invitationOnly`).
 */
export async function listPublicEvents(
  db: Queryable,
  now: Date,
  id?: string,
  invitation?: InvitationKey,
): Promise<PublicEvent[]> {
  const params: unknown[] = [parisDay(now)];
  let where = OPEN_EVENT;
  if (invitation) {
    params.push(invitation.eventId, hashToken(invitation.token));
    where = `(${OPEN_EVENT}) or (${INVITED_EVENT})`;
  }
  if (id) {
    params.push(id);
    where = `(${where}) and e.id = $${params.length}`;
  }
  const { rows } = await db.query<{ doc: EventDoc; organisation_name: string | null }>(
    `select e.doc, o.name as organisation_name
       from events e left join organisations o on o.id::text = e.doc->>'organisationId'
      where ${where}
      order by e.doc->>'date', coalesce(e.doc->>'startTime', ''), e.id limit 200`,
    params,
  );
  const out: PublicEvent[] = [];
  for (const r of rows) {
    const event = toPublic(r.doc, r.organisation_name ?? '', await publicOffers(db, r.doc.offerIds ?? []));
    if (!r.doc.public) event.invitationOnly = true;
    out.push(event);
  }
  return out;
}

export interface EventRegistration {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  offerId?: string;
  /** How the person came (issue 6, H-Q, additive): the stand's QR code or an e-mail invitation. */
  via?: RegistrationVia;
  /** The token of an invitation: opens a private event's form (issue 6). */
  invitation?: string;
}

/** Checks a registration body (French messages per field). */
export function readRegistration(body: Record<string, unknown>): EventRegistration {
  const errors: FieldError[] = [];
  const firstName = textField(body, 'firstName', APPLICATION_LIMITS.name, errors, {
    required: 'Saisissez votre prénom.',
  });
  const lastName = textField(body, 'lastName', APPLICATION_LIMITS.name, errors, {
    required: 'Saisissez votre nom.',
  });
  const email = validEmail(body.email);
  if (!email)
    errors.push({
      field: 'email',
      message:
        'Saisissez une adresse e-mail valide (exemple : nom@domaine.fr) : vous y recevrez la confirmation.',
    });
  const phone = textField(body, 'phone', APPLICATION_LIMITS.phone, errors);
  if (phone && !PHONE.test(phone))
    errors.push({
      field: 'phone',
      message: 'Numéro de téléphone invalide : chiffres, espaces et + seulement.',
    });
  let offerId: string | undefined;
  if (body.offerId !== undefined && body.offerId !== null && body.offerId !== '') {
    if (isId(body.offerId)) offerId = body.offerId;
    else
      errors.push({
        field: 'offerId',
        message: 'Choisissez une offre présentée à cet événement, ou aucune.',
      });
  }
  let via: RegistrationVia | undefined;
  if (body.via !== undefined && body.via !== null && body.via !== '') {
    if (body.via === 'qr' || body.via === 'invitation') via = body.via;
    else errors.push({ field: 'via', message: 'Provenance inconnue : « qr » ou « invitation » attendu.' });
  }
  let invitation: string | undefined;
  if (body.invitation !== undefined && body.invitation !== null && body.invitation !== '') {
    if (isTokenShape(body.invitation)) invitation = body.invitation;
    else
      errors.push({
        field: 'invitation',
        message: 'Lien d’invitation illisible : ouvrez à nouveau le lien reçu par e-mail.',
      });
  }
  if (body.consent !== true)
    errors.push({
      field: 'consent',
      message:
        'Cochez la case de consentement : sans elle, nous ne pouvons pas transmettre votre inscription.',
    });
  if (errors.length > 0) throw badRequest('L’inscription contient des erreurs.', errors);
  return {
    firstName: firstName!,
    lastName: lastName!,
    email: email!,
    ...(phone ? { phone } : {}),
    ...(offerId ? { offerId } : {}),
    ...(via ? { via } : {}),
    ...(invitation ? { invitation } : {}),
  };
}

const EVENT_CLOSED = 'Cet événement n’existe pas ou n’est plus ouvert aux inscriptions.';
const ACTIVE_SQL = `doc->>'status' in ('proposee', 'nouvelle', 'a_l_etude', 'entretien', 'preselectionnee', 'embauchee')`;

/**
 * Registers a person to a public event: one application of the event's organisation (to the
 * chosen offer, or to the event itself), the event's count, the confirmation e-mail, all in one
 * transaction. 404 when the event is not open, 409 when the same e-mail is already registered.
 */
export async function registerToEvent(
  db: Database,
  engine: SyncEngine,
  eventId: string,
  input: EventRegistration,
  context: { ip: string; base: string },
): Promise<{ application: ApplicationDoc; event: EventDoc }> {
  const now = clock.now();
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `event-registration:${eventId}:${input.email}`,
    ]);
    // A public event, or a private one this invitation opens.
    const { rows } = await tx.query<{ doc: EventDoc; organisation_name: string | null }>(
      input.invitation
        ? `select e.doc, o.name as organisation_name
             from events e left join organisations o on o.id::text = e.doc->>'organisationId'
            where ((${OPEN_EVENT}) or (${INVITED_EVENT})) and e.id = $2 for update of e`
        : `select e.doc, o.name as organisation_name
             from events e left join organisations o on o.id::text = e.doc->>'organisationId'
            where ${OPEN_EVENT} and e.id = $2 for update of e`,
      input.invitation ? [parisDay(now), eventId, hashToken(input.invitation)] : [parisDay(now), eventId],
    );
    const found = rows[0];
    if (!found) throw notFound(EVENT_CLOSED);
    const event = found.doc;
    const organisationName = found.organisation_name ?? '';
    let offer: PublicEventOffer | undefined;
    let offerNumber: string | undefined;
    if (input.offerId) {
      offer = event.offerIds.includes(input.offerId)
        ? (await publicOffers(tx, [input.offerId]))[0]
        : undefined;
      if (!offer) {
        const m =
          'Cette offre n’est pas présentée à cet événement : choisissez-en une dans la liste, ou aucune.';
        throw badRequest(m, [{ field: 'offerId', message: m }]);
      }
      const n = await tx.query<{ number: string | null }>(
        `select doc->>'number' as number from offers where id = $1`,
        [input.offerId],
      );
      offerNumber = n.rows[0]?.number ?? undefined;
    }
    const dup = await tx.query<{ id: string }>(
      `select id from applications
        where not deleted and doc->>'eventId' = $1 and lower(doc->'applicant'->>'email') = $2
          and coalesce(doc->>'offerId', '') = $3 and ${ACTIVE_SQL} limit 1`,
      [eventId, input.email, input.offerId ?? ''],
    );
    if (dup.rows.length > 0) {
      const m = input.offerId
        ? 'Vous êtes déjà inscrit(e) à cet événement pour cette offre avec cette adresse e-mail.'
        : 'Vous êtes déjà inscrit(e) à cet événement avec cette adresse e-mail.';
      throw new HttpError(409, 'conflict', m, [{ field: 'email', message: m }]);
    }
    const kindLabel = event.kind === 'salon' ? 'Salon' : 'Session de recrutement';
    const snapshot: NonNullable<ApplicationDoc['offer']> = offer
      ? {
          title: offer.title.slice(0, 150),
          companyName: (offer.companyName ?? organisationName).slice(0, 150),
          ...(offerNumber ? { number: offerNumber.slice(0, 20) } : {}),
          ...(offer.city ? { city: offer.city.slice(0, 120) } : {}),
        }
      : { title: `${kindLabel} : ${event.name}`.slice(0, 150), companyName: organisationName.slice(0, 150) };
    const name = `${input.firstName} ${input.lastName}`;
    const application: ApplicationDoc = {
      id: randomUUID(),
      organisationId: event.organisationId,
      ...(input.offerId ? { offerId: input.offerId } : {}),
      offer: snapshot,
      applicant: {
        firstName: input.firstName,
        lastName: input.lastName,
        email: input.email,
        ...(input.phone ? { phone: input.phone } : {}),
        consent: { at, text: EVENT_REGISTRATION_CONSENT_TEXT },
      },
      ...(input.via ? { message: REGISTRATION_VIA[input.via] } : {}),
      status: 'nouvelle',
      history: [{ at, to: 'nouvelle', byName: name.slice(0, 120) }],
      source: event.kind === 'salon' ? 'salon' : 'session',
      eventId: event.id,
      createdAt: at,
      updatedAt: at,
    };
    await writeApplication(tx, engine, application);
    const next: EventDoc = { ...event, registrationCount: (event.registrationCount ?? 0) + 1, updatedAt: at };
    await engine.write(tx, eventsCollection, next as unknown as Doc, false);
    await tx.query('insert into event_registration_attempts (ip, at) values ($1, $2)', [context.ip, now]);
    const when = `le ${frenchDate(`${event.date}T12:00:00Z`)}${event.startTime ? ` à partir de ${event.startTime.replace(':', ' h ')}` : ''}`;
    const where = [
      event.place?.label,
      event.place?.address,
      [event.place?.postalCode, event.place?.city].filter(Boolean).join(' '),
    ]
      .filter((x) => x?.trim())
      .join(', ');
    await queueEmail(tx, {
      to: input.email,
      subject: `Inscription confirmée : ${event.name}`,
      text: [
        `Bonjour ${input.firstName},`,
        '',
        `Votre inscription ${event.kind === 'salon' ? 'au salon' : 'à la session de recrutement'} « ${event.name} » organisé(e) par ${organisationName} est bien enregistrée.`,
        `Rendez-vous ${when}${where ? `, ${where}` : ''}.`,
        ...(offer ? [`Offre qui vous intéresse : ${offer.title}.`] : []),
        '',
        'Pensez à apporter votre CV. Le recruteur a reçu vos coordonnées et pourra vous contacter avant le jour J.',
        '',
        `L’agenda des salons et sessions : ${context.base}/agenda`,
      ].join('\n'),
      dedupeKey: `event-registration:${application.id}`,
    });
    return { application, event: next };
  });
}

async function rateLimited(db: Queryable, ip: string): Promise<void> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int as n from event_registration_attempts where ip = $1 and at > $2',
    [ip, new Date(clock.now().getTime() - 3600_000)],
  );
  if (Number(rows[0]?.n ?? 0) >= EVENT_REGISTRATION_LIMIT_PER_HOUR)
    throw new HttpError(
      429,
      'too-many-requests',
      'Trop d’inscriptions depuis cette connexion en une heure. Réessayez plus tard.',
      undefined,
      { 'retry-after': '3600' },
    );
}

export async function registerEventRoutes(
  app: FastifyInstance,
  deps: { db: Database; engine: SyncEngine; publicUrl?: string },
): Promise<void> {
  const { db, engine } = deps;

  app.get('/api/organisations/prescribers', async (request) => {
    const user = await requireUser(db, request);
    if (user.kind !== 'recruiter') throw forbidden('Cette liste est réservée aux professionnels.');
    const raw = (request.query as { q?: unknown } | undefined)?.q;
    if (raw !== undefined && (typeof raw !== 'string' || raw.length > 100)) {
      const m = 'La recherche doit être un texte de 100 caractères au plus.';
      throw badRequest(m, [{ field: 'q', message: m }]);
    }
    return { items: await searchPrescribers(db, (raw ?? '').trim()) };
  });

  // `?evenement=<id>&invitation=<token>` (the link of an invitation e-mail) adds the private event
  // that invitation opens; a token that opens nothing is ignored (the page says the link is closed).
  const invitationOf = (request: { query: unknown }, eventId?: string): InvitationKey | undefined => {
    const q = (request.query ?? {}) as { evenement?: unknown; invitation?: unknown };
    const id = eventId ?? q.evenement;
    return isId(id) && isTokenShape(q.invitation) ? { eventId: id, token: q.invitation } : undefined;
  };

  app.get('/api/public/events', async (request) => {
    return {
      items: await listPublicEvents(db, clock.now(), undefined, invitationOf(request)),
      consentText: EVENT_REGISTRATION_CONSENT_TEXT,
    };
  });

  app.get('/api/public/events/:id', async (request) => {
    const id = (request.params as { id?: unknown }).id;
    if (!isId(id)) throw notFound(EVENT_CLOSED);
    const found = (await listPublicEvents(db, clock.now(), id, invitationOf(request, id)))[0];
    if (!found) throw notFound(EVENT_CLOSED);
    return { event: found, consentText: EVENT_REGISTRATION_CONSENT_TEXT };
  });

  app.post('/api/public/events/:id/registrations', async (request, reply) => {
    const id = (request.params as { id?: unknown }).id;
    if (!isId(id)) throw notFound(EVENT_CLOSED);
    const body = asRecord(request.body);
    await rateLimited(db, request.ip);
    const input = readRegistration(body);
    const { application, event } = await registerToEvent(db, engine, id, input, {
      ip: request.ip,
      base: linkBase(deps, request),
    });
    reply.code(201);
    return {
      registration: { id: application.id, eventId: event.id, offerId: application.offerId ?? null },
      email: input.email,
    };
  });
}
