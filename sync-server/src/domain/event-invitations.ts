/**
 * Invitations to a recruitment session or a fair (issue 6; seed 001 « Comment fonctionne une
 * session de recrutement ? »: « le conseiller invite les candidats correspondants »).
 *
 * `POST /api/events/:id/invitations` `{ cvIds }`: a member of the event's organising organisation
 * or of its partner prescriber invites the people behind CVthèque CVs. Each gets one e-mail, at
 * the address of their account (never shown to the one who invites, anonymous CVs included), with
 * the link that opens the event's registration form on the portal; once per event and CV, ever.
 * The answer counts who was invited now, who already was, and the CVs no longer in the CVthèque.
 * Routes decode and encode; `inviteToEvent` does the work.
 */
import type { FastifyInstance } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import { parisDay } from '../../../shared/domain/offer-lifecycle';
import type { EventDoc } from '../../../shared/schemas/event.schema';
import type { FieldError } from '../../../shared/sync/errors';
import { requireUser } from '../auth/request-user';
import { isId } from '../candidate/application-service';
import { clock } from '../clock';
import { isCvthequeUser } from '../cvtheque/session-scope';
import type { Database, Queryable } from '../db/database';
import { queueEmail } from '../email/outbox';
import { badRequest, forbidden, HttpError, notFound } from '../http-error';
import { frenchDate, linkBase, newToken } from './route-helpers';

/** CVs per request (a session gathers a few dozen people). */
export const EVENT_INVITATIONS_MAX = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALLOWED = new Set(['cvIds']);

export const EVENT_NOT_FOUND = 'Cet événement n’existe pas.';
export const INVITATIONS_FORBIDDEN =
  'Seuls les membres de l’organisation qui organise cet événement (ou du prescripteur partenaire) invitent des candidats.';

export interface InvitationResult {
  /** Invited now (one e-mail each). */
  invited: number;
  /** Invited to this event before: no second e-mail. */
  alreadyInvited: number;
  /** CVs no longer published in the CVthèque (withdrawn, account closed). */
  unavailable: number;
}

/**
 * The registration link of an event on the portal: the agenda opens its form; `via` marks the
 * registration (« invitation »; the workstation's QR code uses « qr »).
 */
export function eventRegistrationUrl(
  base: string,
  eventId: string,
  via?: 'qr' | 'invitation',
  token?: string,
): string {
  return `${base.replace(/\/+$/, '')}/agenda?evenement=${encodeURIComponent(eventId)}${via ? `&via=${via}` : ''}${token ? `&invitation=${encodeURIComponent(token)}` : ''}`;
}

/** The body `{ cvIds }`, checked: a 400 naming each field at fault. Duplicates are merged. */
export function checkInvitationInput(body: unknown): { cvIds: string[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('Envoyez les CV à inviter : { "cvIds": [...] }.', [
      { field: 'body', message: 'Un objet JSON est attendu.' },
    ]);
  const b = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const k of Object.keys(b))
    if (!ALLOWED.has(k))
      errors.push({ field: k.slice(0, 60), message: `Champ inconnu : « ${k.slice(0, 60)} ».` });
  const raw = b.cvIds;
  let cvIds: string[] = [];
  if (!Array.isArray(raw) || raw.length === 0)
    errors.push({ field: 'cvIds', message: 'Cochez au moins un CV à inviter.' });
  else if (raw.length > EVENT_INVITATIONS_MAX)
    errors.push({
      field: 'cvIds',
      message: `Invitez au plus ${EVENT_INVITATIONS_MAX} CV à la fois (${raw.length} cochés).`,
    });
  else if (raw.some((v) => typeof v !== 'string' || !UUID.test(v)))
    errors.push({ field: 'cvIds', message: 'Identifiant de CV invalide : choisissez les CV dans la liste.' });
  else cvIds = [...new Set((raw as string[]).map((v) => v.toLowerCase()))];
  if (errors.length > 0)
    throw badRequest(
      errors.length === 1 ? errors[0]!.message : `L’invitation contient ${errors.length} erreurs.`,
      errors,
    );
  return { cvIds };
}

function invitationText(
  event: EventDoc,
  organiser: string,
  firstName: string,
  link: string,
  offerTitle: string | undefined,
  isPublic: boolean,
): string {
  const kind = event.kind === 'salon' ? 'au salon' : 'à la session de recrutement';
  const when = `le ${frenchDate(`${event.date}T12:00:00Z`)}${event.startTime ? ` à partir de ${event.startTime.replace(':', ' h ')}` : ''}`;
  const where = [
    event.place?.label,
    event.place?.address,
    [event.place?.postalCode, event.place?.city].filter(Boolean).join(' '),
  ]
    .filter((x) => x?.trim())
    .join(', ');
  return [
    firstName ? `Bonjour ${firstName},` : 'Bonjour,',
    '',
    `${organiser || 'Un recruteur'} vous invite ${kind} « ${event.name} », ${when}${where ? `, ${where}` : ''}.`,
    ...(offerTitle ? [`Offre présentée : ${offerTitle}.`] : []),
    '',
    `Pour vous inscrire, ouvrez ce lien : ${link}`,
    ...(isPublic
      ? []
      : ['Cet événement est sur invitation : ce lien vous est personnel, ne le transférez pas.']),
    '',
    'Vous recevez cette invitation parce que votre CV est visible dans la CVthèque. Votre adresse e-mail n’a pas été communiquée à l’organisateur : il ne la connaîtra que si vous vous inscrivez.',
  ].join('\n');
}

/**
 * Invites the people behind `cvIds` to an event: 404 unknown event, 403 not an organiser (or no
 * CVthèque rights), 409 an event that is not planned or past. One row and one e-mail per new
 * (event, CV), in one transaction. Each invitation has its own token (its hash kept): its link
 * opens the event's registration form on the portal, even when the event is not public (a private
 * recruitment session, announced to the invited people only).
 */
export async function inviteToEvent(
  db: Database,
  user: SessionUser,
  eventId: string,
  cvIds: string[],
  options: { base: string },
): Promise<InvitationResult> {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const event = await organisersEvent(tx, user, eventId);
    if (!isCvthequeUser(user)) throw forbidden('Votre organisation n’a pas accès à la CVthèque.');
    const conflict = (m: string) => new HttpError(409, 'conflict', m, [{ field: 'event', message: m }]);
    if (event.status !== 'planifiee')
      throw conflict(
        event.status === 'demandee'
          ? 'Planifiez d’abord la session (date et lieu) : les invitations portent le lien d’inscription.'
          : 'Cet événement est annulé ou terminé : on n’y invite plus.',
      );
    if (event.date < parisDay(now)) throw conflict('Cet événement est passé : on n’y invite plus.');
    const { rows: people } = await tx.query<{ cv_id: string; email: string; first_name: string }>(
      `select c.id::text as cv_id, a.email, a.first_name
         from candidate_cvs c
         join accounts a on a.id = c.account_id and a.disabled_at is null and a.kind = 'candidate'
         join cvs v on v.id = c.id::text and not v.deleted
        where c.id = any($1::uuid[]) and c.status = 'publie'
        order by c.id`,
      [cvIds],
    );
    // The organisation that invites, as the e-mail names it: the member's, else the event's.
    const { rows: orgRows } = await tx.query<{ name: string }>(
      'select name from organisations where id::text = $1',
      [event.organisationId],
    );
    const member = user.memberships.find(
      (m) => m.organisationId === event.organisationId || m.organisationId === event.partnerOrganisationId,
    );
    const organiser = member?.organisationName || orgRows[0]?.name || '';
    let offerTitle: string | undefined;
    const offerId = event.request?.offerId ?? (event.offerIds.length === 1 ? event.offerIds[0] : undefined);
    if (offerId) {
      const o = await tx.query<{ title: string | null }>(
        `select doc->>'title' as title from offers where id = $1 and not deleted`,
        [offerId],
      );
      offerTitle = o.rows[0]?.title ?? undefined;
    }
    let invited = 0;
    for (const p of people) {
      // Each invitation its own token: the link opens the event's form, public or not.
      const { token, hash } = newToken();
      const ins = await tx.query<{ cv_id: string }>(
        `insert into event_invitations (event_id, cv_id, invited_by, invited_at, token_hash) values ($1, $2, $3, $4, $5)
           on conflict (event_id, cv_id) do nothing returning cv_id::text`,
        [event.id, p.cv_id, user.id, now, hash],
      );
      if (ins.rows.length === 0) continue;
      invited++;
      const link = eventRegistrationUrl(options.base, event.id, 'invitation', token);
      await queueEmail(tx, {
        to: p.email,
        subject: `Invitation : ${event.name}`.slice(0, 300),
        text: invitationText(event, organiser, p.first_name, link, offerTitle, event.public),
        dedupeKey: `event-invitation|${event.id}|${p.cv_id}`,
      });
    }
    return {
      invited,
      alreadyInvited: people.length - invited,
      unavailable: cvIds.length - people.length,
    };
  });
}

/** The event, when the user is one of its organisers' members (404 without it, 403 for anyone else). */
export async function organisersEvent(q: Queryable, user: SessionUser, eventId: string): Promise<EventDoc> {
  const { rows } = await q.query<{ doc: EventDoc }>('select doc from events where id = $1 and not deleted', [
    eventId,
  ]);
  const event = rows[0]?.doc;
  if (!event) throw notFound(EVENT_NOT_FOUND);
  const organisers = [event.organisationId, event.partnerOrganisationId].filter(Boolean);
  if (user.kind === 'candidate' || !user.memberships.some((m) => organisers.includes(m.organisationId)))
    throw forbidden(INVITATIONS_FORBIDDEN);
  return event;
}

/** The CVs already invited to an event (ids only), for the organisers' dialog. */
export async function invitedCvIds(db: Database, user: SessionUser, eventId: string): Promise<string[]> {
  await organisersEvent(db, user, eventId);
  const { rows: ids } = await db.query<{ cv_id: string }>(
    'select cv_id::text as cv_id from event_invitations where event_id = $1 order by invited_at, cv_id',
    [eventId],
  );
  return ids.map((r) => r.cv_id);
}

export async function registerEventInvitationRoutes(
  app: FastifyInstance,
  deps: { db: Database; publicUrl?: string },
): Promise<void> {
  const { db } = deps;
  const eventIdOf = (request: { params: unknown }): string => {
    const id = (request.params as { id?: unknown }).id;
    if (!isId(id)) throw notFound(EVENT_NOT_FOUND);
    return id;
  };

  app.get('/api/events/:id/invitations', async (request) => {
    const user = await requireUser(db, request);
    return { cvIds: await invitedCvIds(db, user, eventIdOf(request)) };
  });

  app.post('/api/events/:id/invitations', async (request) => {
    const user = await requireUser(db, request);
    const id = eventIdOf(request);
    // Who may invite first (an organiser's member), then what was sent.
    await organisersEvent(db, user, id);
    const { cvIds } = checkInvitationInput(request.body);
    return inviteToEvent(db, user, id, cvIds, { base: linkBase(deps, request) });
  });
}
