import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newEvaluation, withRating } from '../../shared/domain/evaluation';
import type { ApplicationDoc } from '../../shared/schemas/application.schema';
import type { EvaluationDoc } from '../../shared/schemas/evaluation.schema';
import type { EventDoc } from '../../shared/schemas/event.schema';
import type { NoticeDoc } from '../../shared/schemas/notice.schema';
import type { PullResponse } from '../../shared/sync/protocol';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { eventsCollection } from '../src/domain/events';
import type { Doc } from '../src/sync/types';
import { api, settle, startTestServer, type TestServer } from './harness';

/**
 * Issue 6, recruitment sessions: the advisor of the prescriber a session was asked of captures the
 * attendees into the requesting employer's offers; they flow into the employer's applicants like
 * fair captures, the advisor follows the ones they captured, and rates them. Anyone else is refused.
 */

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const TRANSPORTS = DEMO_ORGANISATIONS.transports.id;
const PRESCRIBER = DEMO_ORGANISATIONS.prescripteur.id;
const ADVISOR = DEMO_ACCOUNTS.find((a) => a.email === 'conseiller@demo.test')!.id;
const CONSENT = 'J’accepte que mes données soient transmises au recruteur de l’offre.';

let server: TestServer;
const tokens: Record<string, string> = {};
let offers: string[] = [];
let sessionId = '';

const url = (path: string) => `${server.url}${path}`;

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  await server.reset();
  for (const who of ['recruteur1', 'recruteur2', 'conseiller'])
    tokens[who] = await server.login(`${who}@demo.test`);
  const { rows } = await server.db.query<{ id: string }>(
    `select id from offers where not deleted and doc->>'organisationId' = $1 and doc->>'status' = 'publiee'
      order by doc->>'number'`,
    [BAKERY],
  );
  offers = rows.map((r) => r.id);
  sessionId = randomUUID();
  const now = new Date().toISOString();
  const event: EventDoc = {
    id: sessionId,
    organisationId: BAKERY,
    kind: 'session',
    status: 'planifiee',
    name: 'Session vente en boulangerie',
    date: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
    offerIds: [offers[0]!],
    colleagueIds: [],
    public: false,
    partnerOrganisationId: PRESCRIBER,
    request: { offerId: offers[0]!, byId: DEMO_ACCOUNTS[0].id, message: 'Merci !', at: now },
    createdBy: DEMO_ACCOUNTS[0].id,
    createdAt: now,
    updatedAt: now,
  };
  await server.db.transaction((tx) =>
    server.app.engine.write(tx, eventsCollection, event as unknown as Doc, false),
  );
});

function attendee(patch: Partial<ApplicationDoc> = {}): ApplicationDoc {
  const id = randomUUID();
  const at = new Date(Date.now() - 60_000).toISOString();
  return {
    id,
    organisationId: BAKERY,
    offerId: offers[0]!,
    captureId: id,
    eventId: sessionId,
    applicant: {
      firstName: 'Nadia',
      lastName: 'Belkacem',
      phone: '06 21 43 65 87',
      consent: { at, text: CONSENT },
    },
    status: 'nouvelle',
    source: 'session',
    history: [],
    createdAt: at,
    updatedAt: at,
    ...patch,
  };
}

async function pushApplication(token: string, doc: ApplicationDoc) {
  const res = await api<unknown[]>(url('/api/sync/applications/v0/push'), {
    token,
    body: [{ assumedMasterState: null, newDocumentState: { ...doc, _deleted: false } }],
  });
  expect(res.status).toBe(200);
}

async function pull<T extends { id: string }>(token: string, collection: string): Promise<T[]> {
  // On PostgreSQL a transaction still running elsewhere on the server (another suite's database
  // included) holds recent changes back for a moment: wait until every earlier one is done.
  await settle(server.db);
  const res = await api<PullResponse<T>>(url(`/api/sync/${collection}/v0/pull?batchSize=500`), { token });
  expect(res.status).toBe(200);
  return res.body.documents;
}

async function notices(userId: string): Promise<NoticeDoc[]> {
  const { rows } = await server.db.query<{ doc: NoticeDoc }>(
    "select doc from notices where doc->>'userId' = $1 and not deleted",
    [userId],
  );
  return rows.map((r) => r.doc);
}

describe('captures at a recruitment session, by the partner prescriber', () => {
  it('flow into the employer’s applicants; the advisor follows and rates the ones they captured', async () => {
    const doc = attendee();
    await pushApplication(tokens.conseiller!, doc);
    const employerSide = (await pull<ApplicationDoc>(tokens.recruteur1!, 'applications')).find(
      (a) => a.id === doc.id,
    );
    expect(employerSide).toMatchObject({
      organisationId: BAKERY,
      offerId: offers[0],
      source: 'session',
      eventId: sessionId,
      capturedBy: ADVISOR,
      status: 'nouvelle',
    });
    // The advisor follows the attendee (and no other application of the employer).
    const advisorSide = await pull<ApplicationDoc>(tokens.conseiller!, 'applications');
    expect(advisorSide.map((a) => a.id)).toEqual([doc.id]);
    // Their rating reaches the employer, and stays visible to them.
    const evaluation: EvaluationDoc = withRating(
      newEvaluation({
        authorId: ADVISOR,
        authorName: 'x',
        organisationId: BAKERY,
        subjectKind: 'application',
        subjectId: doc.id,
        now: new Date(),
      }),
      4,
      new Date(),
    );
    const res = await api<unknown[]>(url('/api/sync/evaluations/v0/push'), {
      token: tokens.conseiller!,
      body: [{ assumedMasterState: null, newDocumentState: { ...evaluation, _deleted: false } }],
    });
    expect(res.body).toEqual([]);
    expect(
      (await pull<EvaluationDoc>(tokens.recruteur1!, 'evaluations')).find((e) => e.id === evaluation.id)
        ?.rating,
    ).toBe(4);
    expect((await pull<EvaluationDoc>(tokens.conseiller!, 'evaluations')).map((e) => e.id)).toContain(
      evaluation.id,
    );
    // Another organisation sees none of it.
    expect(
      (await pull<ApplicationDoc>(tokens.recruteur2!, 'applications')).some((a) => a.id === doc.id),
    ).toBe(false);
  });

  it('an evaluation pushed before its attendee is kept', async () => {
    const doc = attendee();
    const evaluation = withRating(
      newEvaluation({
        authorId: ADVISOR,
        authorName: 'x',
        organisationId: BAKERY,
        subjectKind: 'application',
        subjectId: doc.id,
        now: new Date(),
      }),
      5,
      new Date(),
    );
    const res = await api<unknown[]>(url('/api/sync/evaluations/v0/push'), {
      token: tokens.conseiller!,
      body: [{ assumedMasterState: null, newDocumentState: { ...evaluation, _deleted: false } }],
    });
    expect(res.body).toEqual([]);
    await pushApplication(tokens.conseiller!, doc);
    expect(
      (await pull<ApplicationDoc>(tokens.recruteur1!, 'applications')).some((a) => a.id === doc.id),
    ).toBe(true);
  });

  it('refuses an offer outside the session, another organisation, and an advisor without the session', async () => {
    const outside = attendee({ offerId: offers[1]! });
    await pushApplication(tokens.conseiller!, outside);
    const n1 = (await notices(ADVISOR)).find((n) => n.documentId === outside.id);
    expect(n1?.fields?.[0]?.field).toBe('offerId');

    const otherOrg = attendee({ organisationId: TRANSPORTS });
    await pushApplication(tokens.conseiller!, otherOrg);
    expect((await notices(ADVISOR)).find((n) => n.documentId === otherOrg.id)?.fields?.[0]?.field).toBe(
      'organisationId',
    );

    // Without the session: an advisor cannot capture into an employer's offers.
    const noEvent = attendee({ eventId: undefined, source: 'salon' });
    await pushApplication(tokens.conseiller!, noEvent);
    expect((await notices(ADVISOR)).find((n) => n.documentId === noEvent.id)?.fields?.[0]?.field).toBe(
      'organisationId',
    );
    const { rows } = await server.db.query('select id from applications where id = any($1::text[])', [
      [outside.id, otherOrg.id, noEvent.id],
    ]);
    expect(rows).toEqual([]);
  });
});
