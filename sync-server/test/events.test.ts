import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parisDay } from '../../shared/domain/offer-lifecycle';
import type { ApplicationDoc } from '../../shared/schemas/application.schema';
import type { EventDoc } from '../../shared/schemas/event.schema';
import type { PullResponse, SyncCheckpoint } from '../../shared/sync/protocol';
import { clock } from '../src/clock';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { EVENT_REGISTRATION_LIMIT_PER_HOUR } from '../src/domain/event-routes';
import { api, settle, startTestServer, type TestServer } from './harness';

/**
 * Fairs and recruitment sessions (issue 6, DESIGN §4 `events`, seed 001 « session de
 * recrutement », seed 002 « événements »): who creates and edits what on the sync spine, the
 * validation, the session request between an employer and a prescriber, and the portal's agenda
 * with its registrations.
 */

type Row = EventDoc & { _deleted: boolean };

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const TRANSPORTS = DEMO_ORGANISATIONS.transports.id;
const PRESCRIBER = DEMO_ORGANISATIONS.prescripteur.id;
const R1 = DEMO_ACCOUNTS[0].id;
const R2 = DEMO_ACCOUNTS[1].id;
const ADVISOR = DEMO_ACCOUNTS[3].id;

let server: TestServer;
const tokens: Record<string, string> = {};
let bakeryOffers: string[] = [];
let transportOffer = '';

const sync = () => `${server.url}/api/sync/events/v0`;

function inDays(days: number): string {
  return parisDay(new Date(clock.now().getTime() + days * 86_400_000));
}

async function publishedOffers(organisationId: string): Promise<string[]> {
  const { rows } = await server.db.query<{ id: string }>(
    `select id from offers where not deleted and doc->>'organisationId' = $1 and doc->>'status' = 'publiee'
      order by doc->>'number'`,
    [organisationId],
  );
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

beforeEach(async () => {
  clock.reset();
  await server.reset();
  // The reset empties the sessions too.
  for (const who of ['recruteur1', 'recruteur2', 'conseiller', 'candidat', 'agence']) {
    tokens[who] = await server.login(`${who}@demo.test`);
  }
  bakeryOffers = await publishedOffers(BAKERY);
  transportOffer = (await publishedOffers(TRANSPORTS))[0]!;
  expect(bakeryOffers.length).toBeGreaterThanOrEqual(2);
});

afterAll(async () => {
  clock.reset();
  await server?.stop();
});

async function pullAll(token: string) {
  await settle(server.db);
  const docs = new Map<string, Row>();
  let checkpoint: SyncCheckpoint | null = null;
  for (let i = 0; i < 100; i++) {
    const q = new URLSearchParams({ batchSize: '50' });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await api<PullResponse<Row>>(`${sync()}/pull?${q}`, { token });
    expect(res.status).toBe(200);
    if (res.body.documents.length === 0) break;
    for (const d of res.body.documents) docs.set(d.id, d);
    checkpoint = res.body.checkpoint;
  }
  return docs;
}

async function push(token: string, rows: { assumedMasterState: Row | null; newDocumentState: Row }[]) {
  const res = await api<Row[]>(`${sync()}/push`, { token, body: rows });
  expect(res.status).toBe(200);
  return res.body;
}

async function master(id: string): Promise<{ doc: EventDoc; deleted: boolean } | undefined> {
  const { rows } = await server.db.query<{ doc: EventDoc; deleted: boolean }>(
    'select doc, deleted from events where id = $1',
    [id],
  );
  return rows[0];
}

async function noticesFor(userId: string, documentId: string) {
  const { rows } = await server.db.query<{ doc: Record<string, unknown> }>(
    "select doc from notices where doc->>'userId' = $1 and doc->>'documentId' = $2 order by seq",
    [userId, documentId],
  );
  return rows.map(
    (r) =>
      r.doc as {
        title: string;
        message: string;
        kind: string;
        fields?: { field: string; message: string }[];
      },
  );
}

function salon(patch: Partial<Row> = {}): Row {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    organisationId: BAKERY,
    kind: 'salon',
    status: 'planifiee',
    name: 'Salon de l’emploi de Carcassonne',
    date: inDays(10),
    startTime: '09:00',
    endTime: '17:00',
    place: { label: 'Halle aux grains', city: 'Carcassonne', postalCode: '11000', inseeCode: '11069' },
    offerIds: bakeryOffers.slice(0, 2),
    colleagueIds: [],
    public: true,
    // What the client says is ignored: the server owns these.
    registrationCount: 99,
    createdBy: R2,
    createdAt: now,
    updatedAt: now,
    _deleted: false,
    ...patch,
  };
}

async function create(token: string, doc: Row): Promise<Row> {
  expect(await push(token, [{ assumedMasterState: null, newDocumentState: doc }])).toEqual([]);
  const m = await master(doc.id);
  expect(m?.deleted).toBe(false);
  return { ...m!.doc, _deleted: false };
}

/** Pushes a refused row and returns the fields of the author's refusal notice. */
async function refusedFields(
  token: string,
  userId: string,
  row: { assumedMasterState: Row | null; newDocumentState: Row },
) {
  await push(token, [row]);
  const notices = await noticesFor(userId, row.newDocumentState.id);
  expect(notices.length).toBeGreaterThan(0);
  const last = notices.at(-1)!;
  expect(last.kind).toBe('refus');
  return { notice: last, fields: (last.fields ?? []).map((f) => f.field) };
}

describe('salons: création et droits', () => {
  it('a recruiter creates a salon of its organisation; the server owns createdBy and registrationCount', async () => {
    const doc = await create(tokens.recruteur1!, salon());
    expect(doc.createdBy).toBe(R1);
    expect(doc.registrationCount).toBe(0);
    expect(doc.offerIds).toEqual(bakeryOffers.slice(0, 2));
    expect((await pullAll(tokens.recruteur1!)).get(doc.id)?.name).toBe('Salon de l’emploi de Carcassonne');
    expect((await pullAll(tokens.recruteur2!)).has(doc.id)).toBe(false);
    expect((await pullAll(tokens.conseiller!)).has(doc.id)).toBe(false);
  });

  it('refuses an event for an organisation the user is not a member of', async () => {
    const doc = salon({ organisationId: TRANSPORTS, offerIds: [] });
    const { fields } = await refusedFields(tokens.recruteur1!, R1, {
      assumedMasterState: null,
      newDocumentState: doc,
    });
    expect(fields).toContain('organisationId');
    expect(await master(doc.id)).toBeUndefined();
  });

  it('validates the content with French messages per field', async () => {
    const doc = salon({
      name: '   ',
      date: '2026-02-30',
      startTime: '14:00',
      endTime: '10:00',
      place: {},
      offerIds: [bakeryOffers[0]!, transportOffer],
      colleagueIds: [R2],
    });
    const { notice, fields } = await refusedFields(tokens.recruteur1!, R1, {
      assumedMasterState: null,
      newDocumentState: doc,
    });
    expect(notice.title).toBe('Événement incomplet');
    expect(fields).toEqual(
      expect.arrayContaining(['name', 'date', 'endTime', 'place', 'offerIds', 'colleagueIds']),
    );
    expect(notice.fields?.find((f) => f.field === 'endTime')?.message).toMatch(/après l’heure de début/);
    expect(await master(doc.id)).toBeUndefined();
  });

  it('refuses a date more than a year in the past and a badly formed time', async () => {
    const doc = salon({ date: inDays(-400), startTime: '9h' });
    const { fields } = await refusedFields(tokens.recruteur1!, R1, {
      assumedMasterState: null,
      newDocumentState: doc,
    });
    expect(fields).toEqual(expect.arrayContaining(['date', 'startTime']));
    // Last month is fine (a fair entered afterwards).
    await create(tokens.recruteur1!, salon({ date: inDays(-30) }));
  });

  it('colleagues of the organisation may take part, and another member edits the salon', async () => {
    const { rows } = await server.db.query<{ id: string }>(
      `select a.id::text as id from accounts a join memberships m on m.account_id = a.id
        where m.organisation_id::text = $1 and a.id::text <> $2 limit 1`,
      [BAKERY, R1],
    );
    const colleague = rows[0]?.id;
    const doc = await create(tokens.recruteur1!, salon({ colleagueIds: colleague ? [colleague] : [] }));
    const edited = { ...doc, name: 'Salon des métiers de bouche', public: false };
    expect(await push(tokens.recruteur1!, [{ assumedMasterState: doc, newDocumentState: edited }])).toEqual(
      [],
    );
    const m = (await master(doc.id))!.doc;
    expect(m.name).toBe('Salon des métiers de bouche');
    expect(m.public).toBe(false);
    expect(m.createdBy).toBe(R1);
  });

  it('a member of another organisation cannot edit it', async () => {
    const doc = await create(tokens.recruteur1!, salon());
    await push(tokens.recruteur2!, [
      { assumedMasterState: doc, newDocumentState: { ...doc, name: 'Piraté' } },
    ]);
    expect((await master(doc.id))!.doc.name).toBe('Salon de l’emploi de Carcassonne');
  });

  it('refuses a hard delete with a clear message; cancelling is status « annulee »', async () => {
    const doc = await create(tokens.recruteur1!, salon());
    await push(tokens.recruteur1!, [
      { assumedMasterState: doc, newDocumentState: { ...doc, _deleted: true } },
    ]);
    expect((await master(doc.id))!.deleted).toBe(false);
    const notices = await noticesFor(R1, doc.id);
    expect(notices.at(-1)?.message).toMatch(/annulez-le/);
    expect(
      await push(tokens.recruteur1!, [
        { assumedMasterState: doc, newDocumentState: { ...doc, status: 'annulee' } },
      ]),
    ).toEqual([]);
    expect((await master(doc.id))!.doc.status).toBe('annulee');
  });

  it('the client cannot raise registrationCount nor change the organisation', async () => {
    const doc = await create(tokens.recruteur1!, salon());
    await push(tokens.recruteur1!, [
      { assumedMasterState: doc, newDocumentState: { ...doc, registrationCount: 500, name: 'Renommé' } },
    ]);
    const m = (await master(doc.id))!.doc;
    expect(m.registrationCount).toBe(0);
    expect(m.name).toBe('Renommé');
    const { fields } = await refusedFields(tokens.recruteur1!, R1, {
      assumedMasterState: { ...m, _deleted: false },
      newDocumentState: { ...m, organisationId: TRANSPORTS, _deleted: false },
    });
    expect(fields).toContain('organisationId');
  });
});

describe('sessions de recrutement', () => {
  function request(patch: Partial<Row> = {}): Row {
    return salon({
      kind: 'session',
      status: 'demandee',
      name: 'Session boulangers',
      date: '',
      startTime: undefined,
      endTime: undefined,
      place: undefined,
      offerIds: [],
      public: false,
      partnerOrganisationId: PRESCRIBER,
      request: { offerId: bakeryOffers[0]!, message: 'Trois postes de boulanger à pourvoir en mars.' },
      ...patch,
    } as Partial<Row>);
  }

  it('lists verified prescribers for the request form, by name or city', async () => {
    const all = await api<{ items: { id: string; name: string; city?: string }[] }>(
      `${server.url}/api/organisations/prescribers?q=`,
      { token: tokens.recruteur1! },
    );
    expect(all.status).toBe(200);
    expect(all.body.items.map((i) => i.id)).toContain(PRESCRIBER);
    expect(all.body.items.every((i) => i.id !== BAKERY)).toBe(true);
    const byName = await api<{ items: { id: string; city?: string }[] }>(
      `${server.url}/api/organisations/prescribers?q=${encodeURIComponent('mission carcassonne')}`,
      { token: tokens.recruteur1! },
    );
    expect(byName.body.items[0]).toMatchObject({ id: PRESCRIBER, city: 'Carcassonne' });
    const none = await api<{ items: unknown[] }>(`${server.url}/api/organisations/prescribers?q=zzzz`, {
      token: tokens.recruteur1!,
    });
    expect(none.body.items).toEqual([]);
    await server.db.query('update organisations set verified = false where id = $1', [PRESCRIBER]);
    const unverified = await api<{ items: { id: string }[] }>(`${server.url}/api/organisations/prescribers`, {
      token: tokens.recruteur1!,
    });
    expect(unverified.body.items.map((i) => i.id)).not.toContain(PRESCRIBER);
    expect((await api(`${server.url}/api/organisations/prescribers`)).status).toBe(401);
    expect(
      (await api(`${server.url}/api/organisations/prescribers`, { token: tokens.candidat! })).status,
    ).toBe(403);
  });

  it('an employer asks a prescriber; the advisor sees it and schedules it; the requester gets a notice', async () => {
    const doc = await create(tokens.recruteur1!, request());
    expect(doc.status).toBe('demandee');
    expect(doc.request).toMatchObject({ offerId: bakeryOffers[0], byId: R1 });
    expect(doc.offerIds).toEqual([bakeryOffers[0]]);
    const seen = (await pullAll(tokens.conseiller!)).get(doc.id);
    expect(seen?.request?.message).toMatch(/Trois postes/);

    // The advisor cannot rewrite the request without answering it.
    await push(tokens.conseiller!, [
      { assumedMasterState: doc, newDocumentState: { ...doc, name: 'Autre' } },
    ]);
    expect((await master(doc.id))!.doc.name).toBe('Session boulangers');

    // Scheduling needs a date and a place.
    const { fields } = await refusedFields(tokens.conseiller!, ADVISOR, {
      assumedMasterState: doc,
      newDocumentState: { ...doc, status: 'planifiee' },
    });
    expect(fields).toEqual(expect.arrayContaining(['date', 'place']));

    const planned: Row = {
      ...doc,
      status: 'planifiee',
      date: inDays(20),
      startTime: '14:00',
      endTime: '16:30',
      place: { label: 'Mission locale', city: 'Carcassonne' },
      colleagueIds: [ADVISOR],
      response: { message: 'Nous invitons dix candidats.' },
    };
    expect(await push(tokens.conseiller!, [{ assumedMasterState: doc, newDocumentState: planned }])).toEqual(
      [],
    );
    const m = (await master(doc.id))!.doc;
    expect(m.status).toBe('planifiee');
    expect(m.response).toMatchObject({ decision: 'planifiee', byId: ADVISOR });
    expect(m.request?.byId).toBe(R1);
    const notices = await noticesFor(R1, doc.id);
    expect(notices.at(-1)).toMatchObject({ title: 'Session de recrutement planifiée', kind: 'information' });
    expect(notices.at(-1)?.message).toMatch(
      /Mission locale de Carcassonne a planifié la session « Session boulangers »/,
    );
    expect((await pullAll(tokens.recruteur1!)).get(doc.id)?.status).toBe('planifiee');
  });

  it('the advisor declines with a reason; the requester is told why', async () => {
    const doc = await create(tokens.recruteur1!, request());
    const { fields } = await refusedFields(tokens.conseiller!, ADVISOR, {
      assumedMasterState: doc,
      newDocumentState: { ...doc, status: 'annulee' },
    });
    expect(fields).toContain('response.message');
    await push(tokens.conseiller!, [
      {
        assumedMasterState: doc,
        newDocumentState: { ...doc, status: 'annulee', response: { message: 'Pas de créneau en mars.' } },
      },
    ]);
    expect((await master(doc.id))!.doc.status).toBe('annulee');
    const notice = (await noticesFor(R1, doc.id)).at(-1);
    expect(notice?.title).toBe('Session de recrutement déclinée');
    expect(notice?.message).toMatch(/Pas de créneau en mars/);
  });

  it('the requester cannot schedule its own request', async () => {
    const doc = await create(tokens.recruteur1!, request());
    const { fields } = await refusedFields(tokens.recruteur1!, R1, {
      assumedMasterState: doc,
      newDocumentState: { ...doc, status: 'planifiee', date: inDays(5), place: { city: 'Carcassonne' } },
    });
    expect(fields).toContain('status');
  });

  it('a request needs a verified prescriber, one of the organisation’s offers and a message', async () => {
    const doc = request({
      partnerOrganisationId: TRANSPORTS,
      request: { offerId: transportOffer, message: ' ' },
    } as Partial<Row>);
    const { fields } = await refusedFields(tokens.recruteur1!, R1, {
      assumedMasterState: null,
      newDocumentState: doc,
    });
    expect(fields).toEqual(
      expect.arrayContaining(['partnerOrganisationId', 'request.offerId', 'request.message']),
    );
  });

  it('an advisor organises a session of its own prescriber directly', async () => {
    const doc = await create(
      tokens.conseiller!,
      salon({
        organisationId: PRESCRIBER,
        kind: 'session',
        offerIds: [],
        name: 'Session métiers du transport',
        place: { city: 'Carcassonne' },
      }),
    );
    expect(doc.status).toBe('planifiee');
    expect(doc.createdBy).toBe(ADVISOR);
  });
});

describe('agenda public et inscriptions', () => {
  type Agenda = {
    items: { id: string; name: string; organisationName: string; offers: { id: string; title: string }[] }[];
    consentText: string;
  };
  const registrations = (id: string) => `${server.url}/api/public/events/${id}/registrations`;
  const person = (patch: Record<string, unknown> = {}) => ({
    firstName: 'Léa',
    lastName: 'Dupré-Martin',
    email: 'lea.dupre@example.test',
    phone: '06 12 34 56 78',
    consent: true,
    ...patch,
  });

  it('lists public planned upcoming events with their organisation and offers', async () => {
    const open = await create(tokens.recruteur1!, salon());
    const privateOne = await create(tokens.recruteur1!, salon({ public: false, name: 'Privé' }));
    const past = await create(tokens.recruteur1!, salon({ date: inDays(-3), name: 'Passé' }));
    const cancelled = await create(tokens.recruteur1!, salon({ name: 'Annulé' }));
    await push(tokens.recruteur1!, [
      { assumedMasterState: cancelled, newDocumentState: { ...cancelled, status: 'annulee' } },
    ]);
    const res = await api<Agenda>(`${server.url}/api/public/events`);
    expect(res.status).toBe(200);
    const ids = res.body.items.map((i) => i.id);
    expect(ids).toContain(open.id);
    for (const hidden of [privateOne.id, past.id, cancelled.id]) expect(ids).not.toContain(hidden);
    const item = res.body.items.find((i) => i.id === open.id)!;
    expect(item.organisationName).toBe('Boulangeries Martin');
    expect(item.offers.map((o) => o.id)).toEqual(bakeryOffers.slice(0, 2));
    expect(item.offers[0]!.title).toBeTruthy();
    expect(res.body.consentText).toMatch(/J’accepte/);
    expect((await api(`${server.url}/api/public/events/${privateOne.id}`)).status).toBe(404);
  });

  it('a registration becomes an application of the event, counted, confirmed by e-mail, pulled by the recruiter', async () => {
    const event = await create(tokens.recruteur1!, salon());
    const res = await api<{ registration: { id: string } }>(registrations(event.id), {
      body: person({ offerId: bakeryOffers[1] }),
    });
    expect(res.status).toBe(201);
    const { rows } = await server.db.query<{ doc: ApplicationDoc }>(
      'select doc from applications where id = $1',
      [res.body.registration.id],
    );
    const app = rows[0]!.doc;
    expect(app).toMatchObject({
      organisationId: BAKERY,
      offerId: bakeryOffers[1],
      eventId: event.id,
      source: 'salon',
      status: 'nouvelle',
      applicant: { firstName: 'Léa', lastName: 'Dupré-Martin', email: 'lea.dupre@example.test' },
    });
    expect(app.applicant?.consent?.text).toMatch(/J’accepte/);
    expect((await master(event.id))!.doc.registrationCount).toBe(1);
    const mail = await server.db.query<{ subject: string; body: string }>(
      'select subject, body_text as body from email_outbox where to_address = $1',
      ['lea.dupre@example.test'],
    );
    expect(mail.rows.map((r) => r.subject)).toContain(
      'Inscription confirmée : Salon de l’emploi de Carcassonne',
    );
    expect(mail.rows[0]!.body).toMatch(/Halle aux grains/);
    await settle(server.db);
    const pulled = await api<PullResponse<ApplicationDoc>>(
      `${server.url}/api/sync/applications/v0/pull?batchSize=500`,
      { token: tokens.recruteur1! },
    );
    expect(pulled.body.documents.some((d) => d.id === app.id && d.eventId === event.id)).toBe(true);
  });

  it('without an offer: an application to the event itself; twice with the same e-mail is a 409', async () => {
    const event = await create(tokens.recruteur1!, salon());
    const first = await api<{ registration: { id: string } }>(registrations(event.id), { body: person() });
    expect(first.status).toBe(201);
    const { rows } = await server.db.query<{ doc: ApplicationDoc }>(
      'select doc from applications where id = $1',
      [first.body.registration.id],
    );
    expect(rows[0]!.doc.offerId).toBeUndefined();
    expect(rows[0]!.doc.offer?.title).toBe('Salon : Salon de l’emploi de Carcassonne');
    const again = await api<{ error: { code: string; fields: { field: string }[] } }>(
      registrations(event.id),
      {
        body: person({ email: 'LEA.DUPRE@example.test' }),
      },
    );
    expect(again.status).toBe(409);
    expect(again.body.error.fields[0]!.field).toBe('email');
    expect((await master(event.id))!.doc.registrationCount).toBe(1);
  });

  it('refuses bad input with French messages per field, and closed events', async () => {
    const event = await create(tokens.recruteur1!, salon());
    const bad = await api<{ error: { code: string; fields: { field: string; message: string }[] } }>(
      registrations(event.id),
      {
        body: {
          firstName: '',
          lastName: 42,
          email: 'pas-une-adresse',
          phone: 'abc',
          offerId: 'x',
          consent: 'oui',
        },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['firstName', 'lastName', 'email', 'phone', 'offerId', 'consent']),
    );
    const foreign = await api<{ error: { fields: { field: string }[] } }>(registrations(event.id), {
      body: person({ offerId: transportOffer }),
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields[0]!.field).toBe('offerId');
    const privateOne = await create(tokens.recruteur1!, salon({ public: false }));
    expect((await api(registrations(privateOne.id), { body: person() })).status).toBe(404);
    expect((await api(registrations(randomUUID()), { body: person() })).status).toBe(404);
    expect((await api(registrations('pas-un-id'), { body: person() })).status).toBe(404);
    expect(
      await server.db
        .query("select 1 from applications where doc->>'eventId' is not null")
        .then((r) => r.rows.length),
    ).toBe(0);
  });

  it('a session registration has source « session »', async () => {
    const event = await create(
      tokens.conseiller!,
      salon({ organisationId: PRESCRIBER, kind: 'session', offerIds: [], name: 'Session transport' }),
    );
    const res = await api<{ registration: { id: string } }>(registrations(event.id), { body: person() });
    expect(res.status).toBe(201);
    const { rows } = await server.db.query<{ doc: ApplicationDoc }>(
      'select doc from applications where id = $1',
      [res.body.registration.id],
    );
    expect(rows[0]!.doc).toMatchObject({ source: 'session', organisationId: PRESCRIBER, eventId: event.id });
  });

  it('limits registrations per address and hour', async () => {
    const event = await create(tokens.recruteur1!, salon());
    for (let i = 0; i < EVENT_REGISTRATION_LIMIT_PER_HOUR; i++) {
      const res = await api(registrations(event.id), { body: person({ email: `p${i}@example.test` }) });
      expect(res.status).toBe(201);
    }
    const res = await api<{ error: { code: string } }>(registrations(event.id), {
      body: person({ email: 'encore@example.test' }),
    });
    expect(res.status).toBe(429);
    expect((await master(event.id))!.doc.registrationCount).toBe(EVENT_REGISTRATION_LIMIT_PER_HOUR);
  });
});
