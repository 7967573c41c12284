import { randomUUID } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SPOUSE_CONSENT_TEXT, type SpouseSearchSummary } from '../../shared/domain/spouse-search';
import type { CvDoc } from '../../shared/schemas/cv.schema';
import { hashPassword } from '../src/auth/password';
import { mentionsPerson } from '../src/candidate/personal-data/spouse-searches';
import { clock } from '../src/clock';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { claimSpouseSearches } from '../src/domain/spouse-searches';
import { purgeRateLimitTraces, RATE_LIMIT_TRACES_KEPT_HOURS } from '../src/jobs/rgpd-retention';
import { api, startTestServer, type TestServer } from './harness';

/**
 * RGPD for issue 6: a spouse's job search (« Rapprochement de conjoints ») is in the person's
 * export and leaves with their account, without leaving their data anywhere; the hired applicant's
 * erasure leaves nothing of them in the search; the public event registration attempts (IP
 * addresses) are purged by the retention job once the rate limit no longer needs them.
 */

const CANDIDATE_ID = '0a0c0000-0000-4000-8000-000000000006';
const CANDIDATE = 'candidat@demo.test';
/** Thomas Garcia's demo application (candidate/demo-applications.ts), made « embauchée » here. */
const HIRED_APPLICATION = '0a0a0000-0000-4000-8000-000000000001';
const HOUR = 3600 * 1000;

const SPOUSE = {
  firstName: 'Anouk',
  lastName: 'Ribeyrolles',
  email: 'anouk.ribeyrolles@exemple.fr',
  phone: '07 81 92 03 14',
};
/** What identifies the spouse, in every form it may be written. */
const SPOUSE_NEEDLES = [
  'ribeyrolles',
  'anouk',
  SPOUSE.email,
  SPOUSE.phone,
  '0781920314',
  '+33781920314',
  '07.81.92.03.14',
];

let server: TestServer;
let recruiterToken: string;

const url = (path: string) => `${server.url}${path}`;

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

beforeEach(async () => {
  clock.reset();
  await server.reset();
});

afterAll(async () => {
  clock.reset();
  await server?.stop();
});

/** A recruiter of the organisation Thomas Garcia applied to, which hires him. */
async function hireThomas(): Promise<void> {
  const { rows } = await server.db.query<{ email: string }>(
    `select a.email from applications p
       join memberships m on m.organisation_id::text = p.doc->>'organisationId'
       join organisations o on o.id = m.organisation_id and o.kind in ('employer', 'agency')
       join accounts a on a.id = m.account_id and a.kind = 'recruiter'
      where p.id = $1 order by a.email limit 1`,
    [HIRED_APPLICATION],
  );
  expect(rows[0], 'the demo application is to an employer or agency with a recruiter').toBeDefined();
  recruiterToken = await server.login(rows[0]!.email);
  await server.db.query(
    `update applications set doc = jsonb_set(doc, '{status}', to_jsonb('embauchee'::text)) where id = $1`,
    [HIRED_APPLICATION],
  );
}

async function registerSpouse(presentation: string): Promise<SpouseSearchSummary> {
  const res = await api<SpouseSearchSummary>(url('/api/spouse-searches'), {
    token: recruiterToken,
    body: {
      applicationId: HIRED_APPLICATION,
      ...SPOUSE,
      job: { appellationCode: '11573', appellationLabel: 'Boulanger / Boulangère', romeCode: 'D1102' },
      communes: [{ code: '11069', name: 'Carcassonne' }],
      radiusKm: 30,
      contractTypes: ['CDI'],
      availability: 'immediate',
      presentation,
      consent: true,
      consentText: SPOUSE_CONSENT_TEXT,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A partner agency proposes one of its offers to the spouse's CV (an application without account). */
async function proposeToSpouse(cvId: string): Promise<string> {
  const { rows } = await server.db.query<{ id: string }>(
    `select id from offers where not deleted and doc->>'status' = 'publiee' and doc->>'organisationId' = $1 limit 1`,
    [DEMO_ORGANISATIONS.agence.id],
  );
  const agence = await server.login('agence@demo.test');
  const res = await api<{ application: { id: string } }>(url('/api/cvtheque/proposals'), {
    token: agence,
    body: { cvId, offerId: rows[0]!.id, message: 'Un poste de boulangère à Carcassonne.' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.application.id;
}

/** The spouse's own candidate account, its address confirmed (or not). */
async function spouseAccount(confirmed = true): Promise<string> {
  const id = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
     values ($1, $2, $3, 'candidate', $4, $5, ${confirmed ? 'now()' : 'null'})`,
    [id, SPOUSE.email, await hashPassword(DEMO_PASSWORD), SPOUSE.firstName, SPOUSE.lastName],
  );
  return id;
}

async function exportOf(token: string): Promise<Record<string, unknown>> {
  const res = await fetch(url('/api/candidate/export'), { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const entries = unzipSync(new Uint8Array(await res.arrayBuffer()));
  return JSON.parse(strFromU8(entries['donnees.json']!)) as Record<string, unknown>;
}

async function deleteAccount(token: string): Promise<void> {
  const res = await api(url('/api/candidate/account'), {
    token,
    method: 'DELETE',
    body: { password: DEMO_PASSWORD },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(204);
}

/** Every table row (as text) that still holds one of the needles. */
async function leaks(needles: string[]): Promise<string[]> {
  const { rows: tables } = await server.db.query<{ name: string }>(
    `select tablename as name from pg_tables where schemaname = current_schema() order by tablename`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await server.db.query<{ row: string }>(
      `select left(x::text, 300) as row from "${name}" x
        where exists (select 1 from unnest($1::text[]) n where position(lower(n) in lower(x::text)) > 0) limit 3`,
      [needles],
    );
    for (const r of rows) found.push(`${name}: ${r.row}`);
  }
  return found;
}

describe('the spouse’s own data (export, erasure)', () => {
  it('exports the search registered with the confirmed address, and the proposals made with it', async () => {
    await hireThomas();
    const search = await registerSpouse('Boulangère depuis huit ans, cherche un poste dans l’Aude.');
    const proposal = await proposeToSpouse(search.cvId);

    // An account whose address is not confirmed sees nothing of it.
    const account = await spouseAccount(false);
    const before = await exportOf(await server.login(SPOUSE.email)).catch(() => null);
    if (before) expect(before.conjoint).toEqual([]);
    await server.db.query('update accounts set email_confirmed_at = now() where id = $1', [account]);

    const json = await exportOf(await server.login(SPOUSE.email));
    const searches = json.conjoint as Record<string, unknown>[];
    expect(searches).toHaveLength(1);
    expect(searches[0]).toMatchObject({
      identifiant: search.id,
      dispositif: 'Rapprochement de conjoints',
      prenom: 'Anouk',
      nom: 'Ribeyrolles',
      email: SPOUSE.email,
      telephone: SPOUSE.phone,
      metierRecherche: 'Boulanger / Boulangère',
      communes: ['Carcassonne'],
      rayonKm: 30,
      presentation: 'Boulangère depuis huit ans, cherche un poste dans l’Aude.',
      consentement: { texte: SPOUSE_CONSENT_TEXT },
      statut: 'en_ligne',
      repriseParVotreCompteLe: null,
    });
    expect(
      (searches[0]!.propositionsEtCandidatures as { id: string }[]).map((a) => a.id),
      'the proposal not linked to an account',
    ).toEqual([proposal]);
    // The hired person is someone else: neither their name nor their application.
    const text = JSON.stringify(searches);
    expect(text).not.toContain('Garcia');
    expect(text).not.toContain(HIRED_APPLICATION);

    // Once claimed, still theirs (by account), the proposal now in « candidatures ».
    const claimed = await server.db.transaction((tx) =>
      claimSpouseSearches(tx, server.app.engine, account, SPOUSE.email),
    );
    expect(claimed).toBe(1);
    await server.db.query(`update accounts set email = 'anouk@ailleurs.fr' where id = $1`, [account]);
    const after = await exportOf(await server.login('anouk@ailleurs.fr'));
    const again = after.conjoint as Record<string, unknown>[];
    expect(again).toHaveLength(1);
    expect(again[0]!.repriseParVotreCompteLe).not.toBeNull();
    expect(again[0]!.propositionsEtCandidatures).toEqual([]);
  });

  it('erasing the spouse’s account leaves no row anywhere with their name, e-mail or phone', async () => {
    await hireThomas();
    const search = await registerSpouse('Boulangère, joignable au 07 81 92 03 14.');
    const proposal = await proposeToSpouse(search.cvId);
    // A recruiter's notice naming them, and a rating of their CV: derived data that must go too.
    const notice = randomUUID();
    await server.app.engine.write(
      server.db,
      server.app.engine.collection('notices')!,
      {
        id: notice,
        userId: DEMO_ACCOUNTS[2].id,
        kind: 'information',
        title: 'Proposition envoyée',
        message: 'Anouk Ribeyrolles a reçu votre proposition.',
        createdAt: clock.now().toISOString(),
      },
      false,
    );
    await spouseAccount();
    const token = await server.login(SPOUSE.email);
    expect((await leaks(SPOUSE_NEEDLES)).length).toBeGreaterThan(3);

    await deleteAccount(token);

    expect(await leaks(SPOUSE_NEEDLES)).toEqual([]);
    const { rows: searches } = await server.db.query('select 1 from spouse_searches');
    expect(searches).toEqual([]);
    const cv = await server.db.query<{ deleted: boolean }>('select deleted from cvs where id = $1', [
      search.cvId,
    ]);
    expect(cv.rows[0]?.deleted, 'the CVthèque row is a tombstone for every replica').toBe(true);
    const app = await server.db.query<{ deleted: boolean }>(
      'select deleted from applications where id = $1',
      [proposal],
    );
    expect(app.rows[0]?.deleted, 'the proposal is a tombstone').toBe(true);
    const n = await server.db.query<{ deleted: boolean }>('select deleted from notices where id = $1', [
      notice,
    ]);
    expect(n.rows[0]?.deleted).toBe(true);
    const index = await server.db.query('select 1 from cv_search where id = $1', [search.cvId]);
    expect(index.rows).toEqual([]);
    // The recruiter's list no longer has it.
    const list = await api<{ searches: SpouseSearchSummary[] }>(url('/api/spouse-searches'), {
      token: recruiterToken,
    });
    expect(list.body.searches).toEqual([]);
  });

  it('erasing after the claim leaves nothing either (the CV taken over, the proposal linked)', async () => {
    await hireThomas();
    const search = await registerSpouse('Boulangère depuis huit ans.');
    await proposeToSpouse(search.cvId);
    const id = await spouseAccount();
    await server.db.transaction((tx) => claimSpouseSearches(tx, server.app.engine, id, SPOUSE.email));
    const token = await server.login(SPOUSE.email);
    await deleteAccount(token);
    expect(await leaks(SPOUSE_NEEDLES)).toEqual([]);
    const cv = await server.db.query<{ deleted: boolean }>('select deleted from cvs where id = $1', [
      search.cvId,
    ]);
    expect(cv.rows[0]?.deleted).toBe(true);
  });
});

describe('the hired applicant erases their account', () => {
  const THOMAS_NEEDLES = [CANDIDATE_ID, CANDIDATE, 'garcia', '06 12 34 56 78', '0612345678'];

  it('keeps the spouse’s search, but nothing of the applicant: their application, and text naming them', async () => {
    await hireThomas();
    const search = await registerSpouse(
      'Arrive dans l’Aude avec son conjoint Thomas Garcia, embauché chez vous. Boulangère depuis huit ans.',
    );
    const token = await server.login(CANDIDATE);
    expect((await leaks(THOMAS_NEEDLES)).length).toBeGreaterThan(0);

    await deleteAccount(token);

    expect(await leaks(THOMAS_NEEDLES)).toEqual([]);
    // The spouse's search is the spouse's: still online, their contact kept, the presentation gone.
    const { rows } = await server.db.query<{
      first_name: string;
      email: string;
      doc: Record<string, unknown>;
    }>('select first_name, email, doc from spouse_searches where id = $1', [search.id]);
    expect(rows[0]).toMatchObject({ first_name: 'Anouk', email: SPOUSE.email });
    expect(rows[0]!.doc).not.toHaveProperty('presentation');
    const cv = await server.db.query<{ deleted: boolean; doc: CvDoc }>(
      'select deleted, doc from cvs where id = $1',
      [search.cvId],
    );
    expect(cv.rows[0]!.deleted).toBe(false);
    expect(cv.rows[0]!.doc).toMatchObject({ firstName: 'Anouk', lastName: 'Ribeyrolles' });
    expect(cv.rows[0]!.doc.summary).toBeUndefined();
    const list = await api<{ searches: SpouseSearchSummary[] }>(url('/api/spouse-searches'), {
      token: recruiterToken,
    });
    expect(list.body.searches).toHaveLength(1);
    expect(list.body.searches[0]).toMatchObject({ id: search.id, hiredName: '', status: 'en_ligne' });
  });

  it('keeps a presentation that does not name them', async () => {
    await hireThomas();
    const presentation = 'Boulangère depuis huit ans, arrive dans l’Aude avec son conjoint.';
    const search = await registerSpouse(presentation);
    await deleteAccount(await server.login(CANDIDATE));
    const { rows } = await server.db.query<{ doc: { presentation?: string } }>(
      'select doc from spouse_searches where id = $1',
      [search.id],
    );
    expect(rows[0]!.doc.presentation).toBe(presentation);
    const cv = await server.db.query<{ doc: CvDoc }>('select doc from cvs where id = $1', [search.cvId]);
    expect(cv.rows[0]!.doc.summary).toBe(presentation);
  });

  it('recognises the applicant in free text (names as words, accents and case ignored, e-mail, phone)', () => {
    const person = {
      names: ['Thomas', 'Garcia'],
      emails: ['candidat@demo.test'],
      phones: ['06 12 34 56 78'],
    };
    expect(mentionsPerson('Épouse de M. GARCÍA.', person)).toBe(true);
    expect(mentionsPerson('thomas la rejoint', person)).toBe(true);
    expect(mentionsPerson('Écrire à candidat@demo.test', person)).toBe(true);
    expect(mentionsPerson('Tél. +33 6 12 34 56 78', person)).toBe(true);
    expect(mentionsPerson('Boulangère à Garciaville, thomasine', person)).toBe(false);
    expect(mentionsPerson('', person)).toBe(false);
  });
});

describe('rate limiting traces (IP addresses): event registrations, public applications and their files', () => {
  const attempts = async () =>
    (
      await server.db.query<{ ip: string }>('select ip from event_registration_attempts order by at')
    ).rows.map((r) => r.ip);

  it('are purged by the retention job once older than the window needs, recent ones kept, idempotently', async () => {
    const now = clock.now().getTime();
    const at = (ms: number) => new Date(now - ms).toISOString();
    for (const [ip, ago] of [
      ['203.0.113.1', (RATE_LIMIT_TRACES_KEPT_HOURS + 1) * HOUR],
      ['203.0.113.2', 30 * 24 * HOUR],
      ['203.0.113.3', 2 * HOUR],
      ['203.0.113.4', 10 * 60 * 1000],
    ] as const)
      await server.db.query('insert into event_registration_attempts (ip, at) values ($1, $2)', [
        ip,
        at(ago),
      ]);

    const results = await server.app.scheduler.runAll();
    expect(results['rgpd-retention']).toMatchObject({ attemptsPurged: 2 });
    expect(await attempts()).toEqual(['203.0.113.3', '203.0.113.4']);
    // The window the rate limit counts (one hour) is within what is kept.
    expect(RATE_LIMIT_TRACES_KEPT_HOURS).toBeGreaterThanOrEqual(1);

    const again = await server.app.scheduler.runAll();
    expect(again['rgpd-retention']).toMatchObject({ attemptsPurged: 0 });
    expect(await attempts()).toEqual(['203.0.113.3', '203.0.113.4']);

    clock.advance(RATE_LIMIT_TRACES_KEPT_HOURS * HOUR);
    expect(await purgeRateLimitTraces(server.db, clock.now())).toBe(2);
    expect(await attempts()).toEqual([]);
  });

  it('with those of public applications and their files: every trace holding an IP address goes after a day', async () => {
    const now = clock.now().getTime();
    const at = (ms: number) => new Date(now - ms).toISOString();
    const old = at((RATE_LIMIT_TRACES_KEPT_HOURS + 2) * HOUR);
    const recent = at(20 * 60 * 1000);
    for (const [ip, when] of [
      ['192.0.2.10', old],
      ['192.0.2.11', recent],
    ] as const) {
      await server.db.query('insert into public_application_attempts (ip, at) values ($1, $2)', [ip, when]);
      await server.db.query(
        'insert into public_application_files (sha256, ip, created_at) values ($1, $2, $3)',
        [ip === '192.0.2.10' ? 'a'.repeat(64) : 'b'.repeat(64), ip, when],
      );
    }
    await server.db.query('insert into event_registration_attempts (ip, at) values ($1, $2)', [
      '192.0.2.12',
      old,
    ]);
    const left = async () => ({
      attempts: (
        await server.db.query<{ ip: string }>('select ip from public_application_attempts')
      ).rows.map((r) => r.ip),
      files: (await server.db.query<{ ip: string }>('select ip from public_application_files')).rows.map(
        (r) => r.ip,
      ),
      registrations: await attempts(),
    });

    const results = await server.app.scheduler.runAll();
    expect(results['rgpd-retention']).toMatchObject({ attemptsPurged: 3 });
    expect(await left()).toEqual({ attempts: ['192.0.2.11'], files: ['192.0.2.11'], registrations: [] });
    expect(await purgeRateLimitTraces(server.db, clock.now())).toBe(0);

    clock.advance(RATE_LIMIT_TRACES_KEPT_HOURS * HOUR);
    expect(await purgeRateLimitTraces(server.db, clock.now())).toBe(2);
    expect(await left()).toEqual({ attempts: [], files: [], registrations: [] });
  });

  it('are purged in batches when there are many', async () => {
    const old = new Date(clock.now().getTime() - 48 * HOUR).toISOString();
    await server.db.query(
      `insert into event_registration_attempts (ip, at)
       select '198.51.100.' || (g % 250), $1::timestamptz from generate_series(1, 12001) g`,
      [old],
    );
    await server.db.query(`insert into event_registration_attempts (ip, at) values ('198.51.100.7', $1)`, [
      clock.now().toISOString(),
    ]);
    expect(await purgeRateLimitTraces(server.db, clock.now())).toBe(12001);
    expect(await attempts()).toEqual(['198.51.100.7']);
  });
});
