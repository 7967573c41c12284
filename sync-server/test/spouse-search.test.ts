import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CvSearchResponse } from '../../shared/domain/cv-search';
import { SPOUSE_CONSENT_TEXT, type SpouseSearchSummary } from '../../shared/domain/spouse-search';
import type { CvDoc } from '../../shared/schemas/cv.schema';
import type { PullResponse } from '../../shared/sync/protocol';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { seedDemoTriage } from '../src/db/seed-demo-triage';
import { claimSpouseSearches } from '../src/domain/spouse-searches';
import { api, settle, startTestServer, type TestServer } from './harness';

/**
 * « Rapprochement de conjoints » (issue 6, seed 001 menu): a recruiter registers, with consent, the
 * job search of the spouse of someone they hired; it is a CVthèque CV labelled as such, searched
 * and replicated like the others, and the recruiter follows what becomes of it.
 */

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const HIRED = '0a0b0000-0000-4000-8000-000000000001';
const NOT_HIRED = '0a0b0000-0000-4000-8000-000000000002';
const CARCASSONNE = {
  code: '11069',
  name: 'Carcassonne',
  label: 'Carcassonne (11000)',
  lat: 43.213,
  lon: 2.3491,
};

let server: TestServer;
const tokens: Record<string, string> = {};

const url = (path: string) => `${server.url}${path}`;

function body(overrides: Record<string, unknown> = {}) {
  return {
    applicationId: HIRED,
    firstName: 'Élodie',
    lastName: 'Fabre',
    email: 'elodie.fabre@exemple.fr',
    phone: '06 12 34 56 78',
    job: { appellationCode: '11573', appellationLabel: 'Boulanger / Boulangère', romeCode: 'D1102' },
    communes: [{ code: CARCASSONNE.code, name: CARCASSONNE.name }],
    radiusKm: 30,
    contractTypes: ['CDI', 'CDD'],
    availability: 'a_partir_du',
    availableFrom: '2027-01-04',
    presentation: 'Boulangère depuis huit ans, arrive dans l’Aude avec son conjoint.',
    consent: true,
    consentText: SPOUSE_CONSENT_TEXT,
    ...overrides,
  };
}

async function setStatus(applicationId: string, status: string) {
  await server.db.query(
    `update applications set doc = jsonb_set(doc, '{status}', to_jsonb($2::text)) where id = $1`,
    [applicationId, status],
  );
}

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

beforeEach(async () => {
  await server.reset();
  for (const who of ['recruteur1', 'agence', 'conseiller', 'candidat'])
    tokens[who] = await server.login(`${who}@demo.test`);
  // The demo applicants of Boulangeries Martin (not seeded by default in tests); one is hired.
  await seedDemoTriage(server.db, server.app.engine, {
    organisationId: BAKERY,
    recruiterId: DEMO_ACCOUNTS[0].id,
    recruiterName: 'Claire Martin',
  });
  await setStatus(HIRED, 'embauchee');
});

afterAll(async () => {
  await server?.stop();
});

describe('POST /api/spouse-searches', () => {
  it('creates a labelled CVthèque CV with contact, records the consent and e-mails the person', async () => {
    const res = await api<SpouseSearchSummary>(url('/api/spouse-searches'), {
      token: tokens.recruteur1,
      body: body(),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      applicationId: HIRED,
      organisationId: BAKERY,
      organisationName: 'Boulangeries Martin',
      firstName: 'Élodie',
      status: 'en_ligne',
      appellationLabel: 'Boulanger / Boulangère',
      proposals: 0,
      emailSent: true,
    });
    const { rows } = await server.db.query<{ doc: CvDoc; deleted: boolean; keys: string[] }>(
      'select doc, deleted, keys from cvs where id = $1',
      [res.body.cvId],
    );
    const cv = rows[0]!;
    expect(cv.deleted).toBe(false);
    expect(cv.doc.origin).toEqual({
      kind: 'conjoint',
      byOrganisationName: 'Boulangeries Martin',
      radiusKm: 30,
    });
    expect(cv.doc).toMatchObject({
      firstName: 'Élodie',
      lastName: 'Fabre',
      email: 'elodie.fabre@exemple.fr',
      phone: '06 12 34 56 78',
      romeCode: 'D1102',
      availability: 'a_partir_du',
      availableFrom: '2027-01-04',
      anonymous: false,
    });
    expect(cv.keys.some((k) => k.startsWith('cvt:11:'))).toBe(true);
    const consent = await server.db.query<{ consent_text: string; consent_at: Date }>(
      'select consent_text, consent_at from spouse_searches where id = $1',
      [res.body.id],
    );
    expect(consent.rows[0]!.consent_text).toBe(SPOUSE_CONSENT_TEXT);
    const mail = await server.db.query<{ to_address: string; text_body: string }>(
      `select * from email_outbox where dedupe_key = $1`,
      [`spouse-search:${res.body.id}`],
    );
    expect(mail.rows).toHaveLength(1);
    expect(JSON.stringify(mail.rows[0])).toContain('/inscription?email=elodie.fabre%40exemple.fr');
  });

  it('refuses without consent, naming the field, and writes nothing', async () => {
    const res = await api<{ error: { fields: { field: string }[] } }>(url('/api/spouse-searches'), {
      token: tokens.recruteur1,
      body: body({ consent: false, email: 'pas-une-adresse' }),
    });
    expect(res.status).toBe(400);
    const fields = res.body.error.fields.map((f) => f.field);
    expect(fields).toContain('consent');
    expect(fields).toContain('email');
    const { rows } = await server.db.query<{ n: number }>('select count(*)::int as n from spouse_searches');
    expect(rows[0]!.n).toBe(0);
  });

  it('refuses an application that is not « embauchée »', async () => {
    const res = await api<{ error: { code: string; fields: { field: string }[] } }>(
      url('/api/spouse-searches'),
      { token: tokens.recruteur1, body: body({ applicationId: NOT_HIRED }) },
    );
    expect(res.status).toBe(409);
    expect(res.body.error.fields[0]!.field).toBe('applicationId');
  });

  it('refuses another organisation’s application, and a prescriber', async () => {
    const other = await api<{ error: { fields: { field: string }[] } }>(url('/api/spouse-searches'), {
      token: tokens.agence,
      body: body(),
    });
    expect(other.status).toBe(404);
    expect(other.body.error.fields[0]!.field).toBe('applicationId');
    const advisor = await api(url('/api/spouse-searches'), { token: tokens.conseiller, body: body() });
    expect(advisor.status).toBe(403);
    const candidate = await api(url('/api/spouse-searches'), { token: tokens.candidat, body: body() });
    expect(candidate.status).toBe(403);
  });

  it('refuses a second search for the same hired person', async () => {
    expect((await api(url('/api/spouse-searches'), { token: tokens.recruteur1, body: body() })).status).toBe(
      201,
    );
    const again = await api(url('/api/spouse-searches'), { token: tokens.recruteur1, body: body() });
    expect(again.status).toBe(409);
  });
});

describe('the CV in the CVthèque and its follow-up', () => {
  it('is found by a partner recruiter with its label, replicated, and a proposal is counted', async () => {
    const created = await api<SpouseSearchSummary>(url('/api/spouse-searches'), {
      token: tokens.recruteur1,
      body: body(),
    });
    expect(created.status).toBe(201);
    const cvId = created.body.cvId;

    const search = await api<CvSearchResponse>(url('/api/cvtheque/search'), {
      token: tokens.agence,
      body: {
        criteria: {
          romeCodes: ['D1102'],
          place: {
            code: CARCASSONNE.code,
            label: CARCASSONNE.label,
            lat: CARCASSONNE.lat,
            lon: CARCASSONNE.lon,
          },
          radiusKm: 30,
        },
      },
    });
    expect(search.status).toBe(200);
    const hit = search.body.hits.find((h) => h.doc.id === cvId);
    expect(hit?.doc.origin?.kind).toBe('conjoint');
    expect(hit?.doc.origin?.byOrganisationName).toBe('Boulangeries Martin');
    expect(hit?.doc.email).toBe('elodie.fabre@exemple.fr');

    // Replicated: an advisor pulling the CVthèque receives it (Aude is the mission locale's département).
    await settle(server.db);
    let found: CvDoc | undefined;
    let checkpoint: unknown = null;
    for (let i = 0; i < 50 && !found; i++) {
      const q = new URLSearchParams({ batchSize: '50' });
      if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
      const pull = await api<PullResponse<CvDoc & { _deleted: boolean }>>(url(`/api/sync/cvs/v1/pull?${q}`), {
        token: tokens.conseiller,
      });
      expect(pull.status, JSON.stringify(pull.body)).toBe(200);
      found = pull.body.documents.find((d) => d.id === cvId);
      if (pull.body.documents.length === 0) break;
      checkpoint = pull.body.checkpoint;
    }
    expect(found?.origin?.kind).toBe('conjoint');

    const { rows } = await server.db.query<{ id: string }>(
      `select id from offers where not deleted and doc->>'status' = 'publiee' and doc->>'organisationId' = $1 limit 1`,
      [DEMO_ORGANISATIONS.agence.id],
    );
    const offerId = rows[0]?.id;
    expect(offerId).toBeTruthy();
    const proposal = await api<{ application: { id: string; cvId: string; candidateId?: string } }>(
      url('/api/cvtheque/proposals'),
      { token: tokens.agence, body: { cvId, offerId, message: 'Un poste de boulangère à Carcassonne.' } },
    );
    expect(proposal.status).toBe(201);
    expect(proposal.body.application.cvId).toBe(cvId);
    expect(proposal.body.application.candidateId).toBeUndefined();
    // The person, who has no account, gets the proposal by e-mail.
    const mail = await server.db.query<{ n: number }>(
      'select count(*)::int as n from email_outbox where dedupe_key = $1',
      [`cv-proposal|${proposal.body.application.id}`],
    );
    expect(mail.rows[0]!.n).toBe(1);

    const list = await api<{ searches: SpouseSearchSummary[] }>(url('/api/spouse-searches'), {
      token: tokens.recruteur1,
    });
    expect(list.status).toBe(200);
    expect(list.body.searches).toHaveLength(1);
    expect(list.body.searches[0]).toMatchObject({ id: cvId, proposals: 1, status: 'en_ligne' });
    // Another organisation does not see it in its list.
    const theirs = await api<{ searches: SpouseSearchSummary[] }>(url('/api/spouse-searches'), {
      token: tokens.agence,
    });
    expect(theirs.body.searches).toHaveLength(0);
  });

  it('leaves the CVthèque when withdrawn', async () => {
    const created = await api<SpouseSearchSummary>(url('/api/spouse-searches'), {
      token: tokens.recruteur1,
      body: body(),
    });
    const closed = await api<SpouseSearchSummary>(url(`/api/spouse-searches/${created.body.id}/close`), {
      token: tokens.recruteur1,
      body: { status: 'retiree' },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('retiree');
    const { rows } = await server.db.query<{ deleted: boolean }>('select deleted from cvs where id = $1', [
      created.body.cvId,
    ]);
    expect(rows[0]!.deleted).toBe(true);
    const search = await api<CvSearchResponse>(url('/api/cvtheque/search'), {
      token: tokens.agence,
      body: { criteria: { romeCodes: ['D1102'] } },
    });
    expect(search.body.hits.some((h) => h.doc.id === created.body.cvId)).toBe(false);
    const bad = await api(url(`/api/spouse-searches/${created.body.id}/close`), {
      token: tokens.recruteur1,
      body: { status: 'nimporte' },
    });
    expect(bad.status).toBe(400);
  });

  it('is taken over by the person once their account confirms the e-mail', async () => {
    const created = await api<SpouseSearchSummary>(url('/api/spouse-searches'), {
      token: tokens.recruteur1,
      body: body(),
    });
    const accountId = randomUUID();
    await server.db.query(
      `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
       values ($1, 'Elodie.Fabre@exemple.fr', 'x', 'candidate', 'Élodie', 'Fabre', now())`,
      [accountId],
    );
    const n = await server.db.transaction((tx) =>
      claimSpouseSearches(tx, server.app.engine, accountId, 'Elodie.Fabre@exemple.fr'),
    );
    expect(n).toBe(1);
    const { rows } = await server.db.query<{ account_id: string; status: string }>(
      'select account_id::text as account_id, status from candidate_cvs where id = $1',
      [created.body.cvId],
    );
    expect(rows[0]).toEqual({ account_id: accountId, status: 'publie' });
    const cv = await server.db.query<{ doc: CvDoc; deleted: boolean }>(
      'select doc, deleted from cvs where id = $1',
      [created.body.cvId],
    );
    expect(cv.rows[0]!.deleted).toBe(false);
    expect(cv.rows[0]!.doc.origin).toBeUndefined();
    const list = await api<{ searches: SpouseSearchSummary[] }>(url('/api/spouse-searches'), {
      token: tokens.recruteur1,
    });
    expect(list.body.searches[0]!.claimedAt).not.toBeNull();
    expect(list.body.searches[0]!.status).toBe('en_ligne');
    // Once only.
    expect(
      await server.db.transaction((tx) =>
        claimSpouseSearches(tx, server.app.engine, accountId, 'elodie.fabre@exemple.fr'),
      ),
    ).toBe(0);
  });
});
