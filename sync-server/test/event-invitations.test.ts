import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parisDay } from '../../shared/domain/offer-lifecycle';
import type { EventDoc } from '../../shared/schemas/event.schema';
import { DEMO_CV_IDS } from '../src/candidate/demo-cvs';
import { clock } from '../src/clock';
import { DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { checkInvitationInput, EVENT_INVITATIONS_MAX } from '../src/domain/event-invitations';
import { api, startTestServer, type TestServer } from './harness';

/**
 * Invitations to a session or a fair from the CVthèque (issue 6, seed 001): the organisers (the
 * event's organisation, the partner prescriber) invite the people behind CVs; each gets one
 * e-mail at their account's address (never shown to the organiser) with the registration link;
 * once per event and CV; French errors for the rest.
 */

type Row = EventDoc & { _deleted: boolean };

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const PRESCRIBER = DEMO_ORGANISATIONS.prescripteur.id;
const CV = DEMO_CV_IDS.published;
const CANDIDATE_EMAIL = 'candidat@demo.test';

let server: TestServer;
const tokens: Record<string, string> = {};
let bakeryOffer = '';

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

beforeEach(async () => {
  clock.reset();
  await server.reset();
  for (const who of ['recruteur1', 'recruteur2', 'conseiller', 'candidat'])
    tokens[who] = await server.login(`${who}@demo.test`);
  const { rows } = await server.db.query<{ id: string }>(
    `select id from offers where not deleted and doc->>'organisationId' = $1 and doc->>'status' = 'publiee'
      order by doc->>'number' limit 1`,
    [BAKERY],
  );
  bakeryOffer = rows[0]!.id;
});

afterAll(async () => {
  clock.reset();
  await server?.stop();
});

function inDays(days: number): string {
  return parisDay(new Date(clock.now().getTime() + days * 86_400_000));
}

async function push(token: string, assumed: Row | null, doc: Row): Promise<Row> {
  const res = await api<Row[]>(`${server.url}/api/sync/events/v0/push`, {
    token,
    body: [{ assumedMasterState: assumed, newDocumentState: doc }],
  });
  expect(res.status).toBe(200);
  expect(res.body).toEqual([]);
  const { rows } = await server.db.query<{ doc: EventDoc }>('select doc from events where id = $1', [doc.id]);
  expect(rows[0], 'événement enregistré').toBeDefined();
  return { ...rows[0]!.doc, _deleted: false };
}

/** A session the bakery asked the prescriber for, scheduled by the advisor, public. */
async function scheduledSession(patch: Partial<Row> = {}): Promise<Row> {
  const now = new Date().toISOString();
  const request: Row = {
    id: randomUUID(),
    organisationId: BAKERY,
    kind: 'session',
    status: 'demandee',
    name: 'Session boulangers',
    date: '',
    offerIds: [],
    colleagueIds: [],
    public: false,
    partnerOrganisationId: PRESCRIBER,
    request: { offerId: bakeryOffer, message: 'Trois postes de boulanger à pourvoir.' },
    createdBy: randomUUID(),
    createdAt: now,
    updatedAt: now,
    _deleted: false,
  };
  const asked = await push(tokens.recruteur1!, null, request);
  return push(tokens.conseiller!, asked, {
    ...asked,
    status: 'planifiee',
    date: inDays(15),
    startTime: '14:00',
    place: { label: 'Mission locale', city: 'Carcassonne', postalCode: '11000' },
    public: true,
    response: { message: 'Nous invitons les candidats.' },
    ...patch,
  });
}

const invite = (token: string | undefined, eventId: string, body: unknown) =>
  api<{
    invited?: number;
    alreadyInvited?: number;
    unavailable?: number;
    error?: { code: string; message: string; fields?: { field: string; message: string }[] };
  }>(`${server.url}/api/events/${eventId}/invitations`, { ...(token ? { token } : {}), body });

async function invitationMails() {
  const { rows } = await server.db.query<{ to_address: string; subject: string; body_text: string }>(
    "select to_address, subject, body_text from email_outbox where dedupe_key like 'event-invitation|%' order by id",
  );
  return rows;
}

/** A second published CVthèque CV, anonymous, of another candidate account. */
async function anonymousCv(): Promise<{ cvId: string; email: string }> {
  const accountId = randomUUID();
  const cvId = randomUUID();
  const email = `anonyme-${cvId.slice(0, 8)}@demo.test`;
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name)
     select $1, $2, password_hash, 'candidate', 'Inès', 'Masquée' from accounts where lower(email) = $3`,
    [accountId, email, CANDIDATE_EMAIL],
  );
  await server.db.query(
    `insert into candidate_cvs (id, account_id, status, rome_code, doc, created_at, updated_at)
     select $1, $2, status, rome_code, doc, created_at, updated_at from candidate_cvs where id = $3`,
    [cvId, accountId, CV],
  );
  await server.db.query(
    `insert into cvs (id, doc, keys, deleted, txid, seq)
     select $1, doc || jsonb_build_object('id', $1::text, 'anonymous', true), keys, deleted, txid, seq + 1000000
       from cvs where id = $2`,
    [cvId, CV],
  );
  return { cvId, email };
}

describe('invitations to a session', () => {
  it('the advisor invites CVs: one e-mail each with the registration link, counts, never the address', async () => {
    const event = await scheduledSession();
    const other = await anonymousCv();
    const missing = randomUUID();
    const res = await invite(tokens.conseiller, event.id, { cvIds: [CV, other.cvId, missing, CV] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ invited: 2, alreadyInvited: 0, unavailable: 1 });
    expect(JSON.stringify(res.body)).not.toContain('@');

    const mails = await invitationMails();
    expect(mails.map((m) => m.to_address).sort()).toEqual([CANDIDATE_EMAIL, other.email].sort());
    for (const m of mails) {
      expect(m.subject).toBe('Invitation : Session boulangers');
      expect(m.body_text).toContain(`/agenda?evenement=${event.id}&via=invitation`);
      expect(m.body_text).toMatch(/Mission locale de Carcassonne vous invite à la session de recrutement/);
      expect(m.body_text).toMatch(/Offre présentée : /);
      expect(m.body_text).toMatch(/14 h 00/);
    }
    // The anonymous CV's candidate is greeted by the name of their own account (the mail is theirs).
    expect(mails.find((m) => m.to_address === other.email)?.body_text).toMatch(/^Bonjour Inès,/);

    const { rows } = await server.db.query<{ n: number }>(
      'select count(*)::int as n from event_invitations where event_id = $1',
      [event.id],
    );
    expect(rows[0]!.n).toBe(2);

    // The organisers see who was invited (CV ids only).
    const list = await api<{ cvIds: string[] }>(`${server.url}/api/events/${event.id}/invitations`, {
      token: tokens.recruteur1!,
    });
    expect(list.status).toBe(200);
    expect(list.body.cvIds.sort()).toEqual([CV, other.cvId].sort());
  });

  it('invites once per event and CV: the second time counts as already invited, no second e-mail', async () => {
    const event = await scheduledSession();
    expect((await invite(tokens.conseiller, event.id, { cvIds: [CV] })).body).toEqual({
      invited: 1,
      alreadyInvited: 0,
      unavailable: 0,
    });
    // The requesting employer (the event's organisation) invites too: the same CV is not mailed twice.
    const again = await invite(tokens.recruteur1, event.id, { cvIds: [CV] });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ invited: 0, alreadyInvited: 1, unavailable: 0 });
    expect(await invitationMails()).toHaveLength(1);
    // Another event: a new invitation.
    const second = await scheduledSession({ name: 'Session boulangers (2)' });
    expect((await invite(tokens.conseiller, second.id, { cvIds: [CV] })).body.invited).toBe(1);
    expect(await invitationMails()).toHaveLength(2);
  });

  it('a withdrawn CV is unavailable; its invitations go with the CV', async () => {
    const event = await scheduledSession();
    await invite(tokens.conseiller, event.id, { cvIds: [CV] });
    await server.db.query(`update candidate_cvs set status = 'suspendu' where id = $1`, [CV]);
    const second = await scheduledSession({ name: 'Autre session' });
    expect((await invite(tokens.conseiller, second.id, { cvIds: [CV] })).body).toEqual({
      invited: 0,
      alreadyInvited: 0,
      unavailable: 1,
    });
    await server.db.query('delete from candidate_cvs where id = $1', [CV]);
    const { rows } = await server.db.query<{ n: number }>('select count(*)::int as n from event_invitations');
    expect(rows[0]!.n).toBe(0);
  });
});

/** The invitation link of an e-mail: the event and the token of that invitation. */
function linkOf(body: string): { eventId: string; token: string } {
  const m = /\/agenda\?evenement=([0-9a-f-]{36})&via=invitation&invitation=([A-Za-z0-9_-]+)/.exec(body);
  expect(m, 'lien d’invitation dans l’e-mail').not.toBeNull();
  return { eventId: m![1]!, token: m![2]! };
}

describe('invitations to a private session', () => {
  type Agenda = { items: { id: string; invitationOnly?: boolean }[] };
  const agenda = (query = '') => api<Agenda>(`${server.url}/api/public/events${query}`);
  const register = (eventId: string, email: string, invitation?: string) =>
    api<{ registration?: { id: string }; error?: { message: string; fields?: { field: string }[] } }>(
      `${server.url}/api/public/events/${eventId}/registrations`,
      {
        body: {
          firstName: 'Thomas',
          lastName: 'Garcia',
          email,
          consent: true,
          via: 'invitation',
          ...(invitation !== undefined ? { invitation } : {}),
        },
      },
    );

  it('each invitation carries its own link, which alone opens the form of an event not announced', async () => {
    const event = await scheduledSession({ public: false });
    const other = await anonymousCv();
    const res = await invite(tokens.conseiller, event.id, { cvIds: [CV, other.cvId] });
    expect(res.status).toBe(200);
    expect(res.body.invited).toBe(2);
    const mails = await invitationMails();
    expect(mails).toHaveLength(2);
    const links = mails.map((m) => linkOf(m.body_text));
    expect(links[0]!.token).not.toBe(links[1]!.token);
    for (const m of mails) expect(m.body_text).toMatch(/sur invitation : ce lien vous est personnel/);
    const { token } = links[0]!;
    // No token is kept in clear.
    const { rows } = await server.db.query<{ token_hash: string }>(
      'select token_hash from event_invitations where event_id = $1',
      [event.id],
    );
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);

    // The agenda does not announce it; the invitation's link shows it, marked.
    expect((await agenda()).body.items.map((e) => e.id)).not.toContain(event.id);
    const shown = await agenda(`?evenement=${event.id}&invitation=${token}`);
    expect(shown.body.items.find((e) => e.id === event.id)).toMatchObject({ invitationOnly: true });
    const one = await api<{ event?: { id: string } }>(
      `${server.url}/api/public/events/${event.id}?invitation=${token}`,
    );
    expect(one.status).toBe(200);
    expect((await api(`${server.url}/api/public/events/${event.id}`)).status).toBe(404);
    // A forged token, or another event's, opens nothing.
    const forged = `${token.slice(0, -4)}AAAA`;
    expect(
      (await agenda(`?evenement=${event.id}&invitation=${forged}`)).body.items.map((e) => e.id),
    ).not.toContain(event.id);
    const second = await scheduledSession({ public: false, name: 'Autre session privée' });
    expect(
      (await agenda(`?evenement=${second.id}&invitation=${token}`)).body.items.map((e) => e.id),
    ).not.toContain(second.id);

    // Registering needs the token; with it, the registration lands in the event's list.
    const without = await register(event.id, 'thomas.sans@demo.test');
    expect(without.status).toBe(404);
    expect((await register(event.id, 'thomas.faux@demo.test', forged)).status).toBe(404);
    const bad = await register(event.id, 'thomas.illisible@demo.test', 'pas un jeton !');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fields?.map((f) => f.field)).toEqual(['invitation']);
    const ok = await register(event.id, 'thomas.invite@demo.test', token);
    expect(ok.status).toBe(201);
    const app = await server.db.query<{ event_id: string; source: string }>(
      `select doc->>'eventId' as event_id, doc->>'source' as source from applications where id = $1`,
      [ok.body.registration!.id],
    );
    expect(app.rows[0]).toEqual({ event_id: event.id, source: 'session' });

    // Once the session is cancelled, the link opens nothing any more.
    await server.db.query(`update events set doc = jsonb_set(doc, '{status}', '"annulee"') where id = $1`, [
      event.id,
    ]);
    expect((await register(event.id, 'thomas.tard@demo.test', token)).status).toBe(404);
    expect((await agenda(`?evenement=${event.id}&invitation=${token}`)).body.items).toHaveLength(0);
  });
});

describe('who may invite, and to what', () => {
  it('refuses the others: 401 signed out, 403 candidate or other organisation, 404 unknown event', async () => {
    const event = await scheduledSession();
    expect((await invite(undefined, event.id, { cvIds: [CV] })).status).toBe(401);
    const candidate = await invite(tokens.candidat, event.id, { cvIds: [CV] });
    expect(candidate.status).toBe(403);
    // recruteur2 belongs to another organisation than the bakery and the prescriber.
    const stranger = await invite(tokens.recruteur2, event.id, { cvIds: [CV] });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error?.message).toMatch(/organisation qui organise cet événement/);
    const unknown = await invite(tokens.conseiller, randomUUID(), { cvIds: [CV] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.message).toBe('Cet événement n’existe pas.');
    expect((await invite(tokens.conseiller, 'pas-un-id', { cvIds: [CV] })).status).toBe(404);
    expect(await invitationMails()).toHaveLength(0);
  });

  it('refuses a request not yet scheduled and a past event (409, in French)', async () => {
    const now = new Date().toISOString();
    const asked = await push(tokens.recruteur1!, null, {
      id: randomUUID(),
      organisationId: BAKERY,
      kind: 'session',
      status: 'demandee',
      name: 'Session à planifier',
      date: '',
      offerIds: [],
      colleagueIds: [],
      public: false,
      partnerOrganisationId: PRESCRIBER,
      request: { offerId: bakeryOffer, message: 'Deux postes.' },
      createdBy: randomUUID(),
      createdAt: now,
      updatedAt: now,
      _deleted: false,
    });
    const pending = await invite(tokens.conseiller, asked.id, { cvIds: [CV] });
    expect(pending.status).toBe(409);
    expect(pending.body.error?.message).toMatch(/Planifiez d’abord la session/);

    const event = await scheduledSession();
    clock.advance(20 * 86_400_000);
    const past = await invite(tokens.conseiller, event.id, { cvIds: [CV] });
    expect(past.status).toBe(409);
    expect(past.body.error?.message).toMatch(/passé/);
    expect(await invitationMails()).toHaveLength(0);
  });

  it('validates the body with French messages naming the field', async () => {
    const event = await scheduledSession();
    for (const body of [
      {},
      { cvIds: [] },
      { cvIds: ['x'] },
      { cvIds: 'abc' },
      [CV],
      { cvIds: [CV], extra: 1 },
    ]) {
      const res = await invite(tokens.conseiller, event.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error?.fields?.length).toBeGreaterThan(0);
    }
    const tooMany = Array.from({ length: EVENT_INVITATIONS_MAX + 1 }, () => randomUUID());
    const res = await invite(tokens.conseiller, event.id, { cvIds: tooMany });
    expect(res.status).toBe(400);
    expect(res.body.error?.fields?.[0]).toMatchObject({ field: 'cvIds' });
    expect(res.body.error?.message).toMatch(/au plus 200/);
    expect(checkInvitationInput({ cvIds: [CV.toUpperCase(), CV] })).toEqual({ cvIds: [CV] });
  });
});

describe('registrations through the stand’s QR code or an invitation', () => {
  it('land in the event’s list as salon/session registrations, marked by their way in', async () => {
    const event = await scheduledSession();
    const register = (email: string, via?: unknown) =>
      api<{ registration?: { id: string }; error?: { fields?: { field: string }[] } }>(
        `${server.url}/api/public/events/${event.id}/registrations`,
        { body: { firstName: 'Léa', lastName: 'Martin', email, consent: true, ...(via ? { via } : {}) } },
      );
    const qr = await register('lea.qr@demo.test', 'qr');
    expect(qr.status).toBe(201);
    const invited = await register('lea.invitation@demo.test', 'invitation');
    expect(invited.status).toBe(201);
    const plain = await register('lea.agenda@demo.test');
    expect(plain.status).toBe(201);
    const bad = await register('lea.autre@demo.test', 'affiche');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fields?.map((f) => f.field)).toEqual(['via']);
    const { rows } = await server.db.query<{ email: string; source: string; message: string | null }>(
      `select doc->'applicant'->>'email' as email, doc->>'source' as source, doc->>'message' as message
         from applications where not deleted and doc->>'eventId' = $1 order by 1`,
      [event.id],
    );
    expect(rows).toEqual([
      { email: 'lea.agenda@demo.test', source: 'session', message: null },
      {
        email: 'lea.invitation@demo.test',
        source: 'session',
        message: 'Inscription sur invitation (e-mail envoyé depuis la CVthèque).',
      },
      { email: 'lea.qr@demo.test', source: 'session', message: 'Inscription par le QR code du stand.' },
    ]);
  });
});
