import { randomUUID } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_CONSENT_TEXT } from '../../shared/domain/application';
import { CAPTURE_CONSENT_TEXT } from '../../shared/domain/capture';
import { newEvaluation, withNote } from '../../shared/domain/evaluation';
import { SPOUSE_CONSENT_TEXT, type SpouseSearchSummary } from '../../shared/domain/spouse-search';
import type { ApplicationDoc } from '../../shared/schemas/application.schema';
import { clock } from '../src/clock';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { writeApplication } from '../src/domain/applications';
import { EVENT_REGISTRATION_CONSENT_TEXT } from '../src/domain/event-routes';
import { makePdf } from '../src/files/sample-files';
import {
  ACCOUNTLESS_RETENTION_YEARS,
  purgeAccountlessApplications,
  type RetentionOutcome,
} from '../src/jobs/rgpd-retention';
import { api, startTestServer, type TestServer } from './harness';

/**
 * RGPD retention for issue 6: a fair capture merged into an account's application leaves with the
 * account (and is in its export); applications without an account (captures, public applications)
 * and spouse searches nobody claimed are erased once unchanged for the period their consent text
 * promises (« au plus 2 ans »), leaving no row anywhere with the person's name, phone or e-mail;
 * what changed since stays; a second run finds nothing.
 */

const CANDIDATE = 'candidat@demo.test';
/** Thomas Garcia's demo application (candidate/demo-applications.ts). */
const THOMAS_APPLICATION = '0a0a0000-0000-4000-8000-000000000001';
const DAY = 24 * 3600 * 1000;

type Row = ApplicationDoc & { _deleted: boolean };

let server: TestServer;
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

/** Every table row (as text) that still holds one of the needles (copied from rgpd-issue6.test.ts). */
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

/** The organisation of Thomas Garcia's application, its offer, and an administrator recruiter of it. */
async function thomasTarget(): Promise<{ org: string; offerId: string; userId: string; token: string }> {
  const { rows } = await server.db.query<{ org: string; offer: string; email: string; user_id: string }>(
    `select p.doc->>'organisationId' as org, p.doc->>'offerId' as offer, a.email, a.id::text as user_id
       from applications p
       join memberships m on m.organisation_id::text = p.doc->>'organisationId' and m.role = 'admin'
       join accounts a on a.id = m.account_id and a.kind = 'recruiter'
      where p.id = $1 order by a.email limit 1`,
    [THOMAS_APPLICATION],
  );
  expect(rows[0], 'the demo application has an organisation with an administrator').toBeDefined();
  const r = rows[0]!;
  return { org: r.org, offerId: r.offer, userId: r.user_id, token: await server.login(r.email) };
}

/** A recruiter of the bakery (demo) and its first published offer. */
async function bakery(): Promise<{ org: string; offerId: string; userId: string; token: string }> {
  const org = DEMO_ORGANISATIONS.boulangerie.id;
  const { rows } = await server.db.query<{ offer: string; email: string; user_id: string }>(
    `select o.id as offer, a.email, a.id::text as user_id from offers o
       join memberships m on m.organisation_id::text = o.doc->>'organisationId' and m.role = 'admin'
       join accounts a on a.id = m.account_id and a.kind = 'recruiter'
      where not o.deleted and o.doc->>'organisationId' = $1 and o.doc->>'status' = 'publiee'
      order by o.doc->>'number', a.email limit 1`,
    [org],
  );
  expect(rows[0]).toBeDefined();
  return {
    org,
    offerId: rows[0]!.offer,
    userId: rows[0]!.user_id,
    token: await server.login(rows[0]!.email),
  };
}

async function push(token: string, rows: { assumedMasterState: Row | null; newDocumentState: Row }[]) {
  const res = await api<Row[]>(url('/api/sync/applications/v0/push'), { token, body: rows });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toEqual([]);
}

async function stored(id: string): Promise<{ doc: ApplicationDoc; deleted: boolean }> {
  const { rows } = await server.db.query<{ doc: ApplicationDoc; deleted: boolean }>(
    'select doc, deleted from applications where id = $1',
    [id],
  );
  expect(rows[0], `application ${id}`).toBeDefined();
  return rows[0]!;
}

interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
}

/** A walk-in candidate captured on the workstation of `by` (pushed as the workstation does). */
async function capture(
  by: { org: string; offerId: string; token: string },
  person: Person,
  captureId: string = randomUUID(),
  id: string = captureId,
): Promise<string> {
  const at = clock.now().toISOString();
  const doc: ApplicationDoc = {
    id,
    organisationId: by.org,
    offerId: by.offerId,
    captureId,
    applicant: {
      ...person,
      jobSought: 'Vendeur en boulangerie',
      consent: { at, text: CAPTURE_CONSENT_TEXT },
    },
    status: 'nouvelle',
    source: 'salon',
    history: [],
    createdAt: at,
    updatedAt: at,
  };
  await push(by.token, [{ assumedMasterState: null, newDocumentState: { ...doc, _deleted: false } }]);
  return id;
}

/** The recruiter's rating note on an application (pushed from their workstation now). */
async function evaluate(by: { org: string; userId: string; token: string }, subjectId: string, note: string) {
  const now = clock.now();
  const doc = withNote(
    newEvaluation({
      authorId: by.userId,
      authorName: 'Recruteur',
      organisationId: by.org,
      subjectKind: 'application',
      subjectId,
      now,
    }),
    note,
    randomUUID(),
    now,
  );
  const res = await api(url('/api/sync/evaluations/v0/push'), {
    token: by.token,
    body: [{ assumedMasterState: null, newDocumentState: { ...doc, _deleted: false } }],
  });
  expect(res.status).toBe(200);
  expect(res.body).toEqual([]);
}

/** Runs the scheduled jobs; returns the retention job's outcome. */
async function runRetention(): Promise<RetentionOutcome> {
  const results = await server.app.scheduler.runAll();
  const outcome = results['rgpd-retention'] as RetentionOutcome & { error?: string };
  expect(outcome.error).toBeUndefined();
  return outcome;
}

const needlesOf = (p: Person) => [
  p.email,
  p.phone,
  p.phone.replace(/\s/g, ''),
  `${p.firstName} ${p.lastName}`,
  p.lastName,
];

describe('a fair capture merged into an account’s application', () => {
  it('is in the account’s export and leaves with the account, with the capture made with it', async () => {
    const recruiter = await thomasTarget();
    // Captured at a fair with another address and a phone; a second application of the same capture.
    const person: Person = {
      firstName: 'Thomas',
      lastName: 'Garcia',
      email: 't.garcia.salon@exemple.test',
      phone: '07 41 52 63 74',
    };
    const captureId = await capture(recruiter, person);
    const sibling = await capture(recruiter, person, captureId, randomUUID());
    await evaluate(recruiter, sibling, 'Rencontré au stand, très motivé (07 41 52 63 74).');
    const capt = await stored(captureId);
    expect(capt.doc.candidateId, 'another address: not linked to the account').toBeUndefined();
    expect((await leaks(needlesOf(person))).length).toBeGreaterThan(2);

    // The recruiter confirms it is the same person as the account's application.
    await push(recruiter.token, [
      {
        assumedMasterState: { ...capt.doc, _deleted: false },
        newDocumentState: { ...capt.doc, mergedInto: THOMAS_APPLICATION, _deleted: false },
      },
    ]);
    expect((await stored(captureId)).doc).toMatchObject({
      status: 'archivee',
      mergedInto: THOMAS_APPLICATION,
    });
    expect((await stored(captureId)).doc.candidateId).toBeUndefined();

    const token = await server.login(CANDIDATE);
    const res = await fetch(url('/api/candidate/export'), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const json = JSON.parse(strFromU8(unzipSync(new Uint8Array(await res.arrayBuffer()))['donnees.json']!));
    const part = json.candidatures as { candidatures: { id: string }[]; saisiesDeSalon: ApplicationDoc[] };
    expect(part.candidatures.map((a) => a.id)).toContain(THOMAS_APPLICATION);
    expect(part.saisiesDeSalon.map((a) => a.id).sort()).toEqual([captureId, sibling].sort());
    const merged = part.saisiesDeSalon.find((a) => a.id === captureId)!;
    expect(merged).toMatchObject({ mergedInto: THOMAS_APPLICATION, applicant: { email: person.email } });
    expect(merged).not.toHaveProperty('organisationId');

    const del = await api(url('/api/candidate/account'), {
      token,
      method: 'DELETE',
      body: { password: DEMO_PASSWORD },
    });
    expect(del.status, JSON.stringify(del.body)).toBe(204);

    for (const id of [captureId, sibling]) {
      const after = await stored(id);
      expect(after.deleted, 'a tombstone for every replica').toBe(true);
      expect(after.doc.applicant).toBeUndefined();
    }
    expect(await leaks(needlesOf(person))).toEqual([]);
    const live = await server.db.query(
      "select 1 from evaluations where not deleted and doc->>'subjectId' = any($1::text[])",
      [[captureId, sibling]],
    );
    expect(live.rows).toEqual([]);
  });
});

describe('applications without an account', () => {
  const OLD: Person = {
    firstName: 'Gwenaëlle',
    lastName: 'Kerbrat',
    email: 'gwen.kerbrat@exemple.test',
    phone: '06 44 55 66 77',
  };
  const ONLINE: Person = {
    firstName: 'Solène',
    lastName: 'Marchetti',
    email: 'solene.marchetti@exemple.test',
    phone: '06 21 32 43 54',
  };
  const MOVED: Person = {
    firstName: 'Maëlys',
    lastName: 'Fontaine',
    email: 'maelys.fontaine@exemple.test',
    phone: '06 98 87 76 65',
  };
  const RATED: Person = {
    firstName: 'Yannick',
    lastName: 'Le Goff',
    email: 'yannick.legoff@exemple.test',
    phone: '06 13 24 35 46',
  };
  const RECENT: Person = {
    firstName: 'Capucine',
    lastName: 'Delaunay',
    email: 'capucine.delaunay@exemple.test',
    phone: '06 57 68 79 80',
  };

  it('keeps the promise of the consent texts: at most 2 years', () => {
    expect(ACCOUNTLESS_RETENTION_YEARS).toBe(2);
    expect(CAPTURE_CONSENT_TEXT).toContain('conservées au plus 2 ans');
    expect(APPLICATION_CONSENT_TEXT).toContain('au plus 2 ans');
    expect(EVENT_REGISTRATION_CONSENT_TEXT).toContain('au plus 2 ans');
  });

  it('are erased 2 years and a day after their last change, without a trace; what moved since stays', async () => {
    const recruiter = await bakery();
    const old = await capture(recruiter, OLD);
    await evaluate(recruiter, old, 'Gwenaëlle Kerbrat : très bon contact, rappeler au 06 44 55 66 77.');
    const moved = await capture(recruiter, MOVED);
    const rated = await capture(recruiter, RATED);
    // A public application without account (CV file, follow link e-mailed).
    const up = await fetch(url('/api/public/application-files?purpose=cv'), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: makePdf(),
    });
    expect(up.status).toBe(201);
    const file = ((await up.json()) as { sha256: string }).sha256;
    const applied = await api<{ application: { id: string } }>(url('/api/public/applications'), {
      body: {
        civility: 'madame',
        ...ONLINE,
        message: 'Disponible.',
        consent: true,
        offerId: recruiter.offerId,
        file,
      },
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    const online = applied.body.application.id;
    expect(
      (await server.db.query('select 1 from application_follow_tokens where application_id = $1', [online]))
        .rows,
    ).toHaveLength(1);
    for (const p of [OLD, ONLINE]) expect((await leaks(needlesOf(p))).length).toBeGreaterThan(1);

    // Last week (2 years − 7 days later): one is moved to « entretien », another is rated.
    clock.advance(2 * 365 * DAY - 7 * DAY);
    const m = await stored(moved);
    await writeApplication(server.db, server.app.engine, {
      ...m.doc,
      status: 'entretien',
      history: [...m.doc.history, { at: clock.now().toISOString(), from: 'nouvelle', to: 'entretien' }],
      updatedAt: clock.now().toISOString(),
    });
    await evaluate(recruiter, rated, 'Toujours intéressé, à rappeler.');
    const recent = await capture(recruiter, RECENT);

    // 2 years (and a day, leap years included) after the others' last change.
    clock.advance(9 * DAY);
    // Two instances at once: each application is erased once.
    const { rows: stale } = await server.db.query<{ n: number }>(
      `select count(*)::int as n from applications where not deleted and doc->>'candidateId' is null
          and doc->>'updatedAt' < $1`,
      [new Date(clock.now().getTime() - 2 * 365 * DAY).toISOString()],
    );
    const [a, b] = await Promise.all([
      purgeAccountlessApplications(server.db, server.app.engine, clock.now()),
      purgeAccountlessApplications(server.db, server.app.engine, clock.now()),
    ]);
    expect(a + b).toBeGreaterThanOrEqual(2);
    expect(a + b).toBeLessThanOrEqual(Number(stale[0]!.n));

    for (const id of [old, online]) {
      const row = await stored(id);
      expect(row.deleted, 'a tombstone every replica drops').toBe(true);
      expect(row.doc.applicant).toBeUndefined();
    }
    for (const p of [OLD, ONLINE]) expect(await leaks(needlesOf(p)), p.lastName).toEqual([]);
    const tokens = await server.db.query(
      'select 1 from application_follow_tokens where application_id = $1',
      [online],
    );
    expect(tokens.rows).toEqual([]);
    const refs = await server.db.query(
      "select 1 from file_refs where collection = 'applications' and doc_id = any($1::text[])",
      [[old, online]],
    );
    expect(refs.rows).toEqual([]);
    // The CV sent without an account: its bytes go with the application (nothing else uses them).
    const bytes = await server.db.query('select 1 from files where sha256 = $1', [file]);
    expect(bytes.rows).toEqual([]);
    const evaluations = await server.db.query(
      "select 1 from evaluations where not deleted and doc->>'subjectId' = $1",
      [old],
    );
    expect(evaluations.rows).toEqual([]);

    // Moved last week, rated last week, captured last week: kept, with their data.
    for (const [id, p] of [
      [moved, MOVED],
      [rated, RATED],
      [recent, RECENT],
    ] as const) {
      const row = await stored(id);
      expect(row.deleted, p.lastName).toBe(false);
      expect(row.doc.applicant?.email).toBe(p.email);
    }

    // The job finds nothing more to do (idempotent), until the kept ones' time comes.
    expect(await runRetention()).toMatchObject({ applicationsPurged: 0, spouseSearchesPurged: 0 });
    expect(await runRetention()).toMatchObject({ applicationsPurged: 0 });
    clock.advance(2 * 366 * DAY);
    expect((await runRetention()).applicationsPurged).toBeGreaterThanOrEqual(3);
    for (const p of [MOVED, RATED, RECENT]) expect(await leaks(needlesOf(p)), p.lastName).toEqual([]);
    expect(await runRetention()).toMatchObject({ applicationsPurged: 0 });
  });
});

describe('spouse searches nobody claimed', () => {
  const FIRST: Person = {
    firstName: 'Anouk',
    lastName: 'Ribeyrolles',
    email: 'anouk.ribeyrolles@exemple.fr',
    phone: '07 81 92 03 14',
  };
  const SECOND: Person = {
    firstName: 'Clémence',
    lastName: 'Vautrin',
    email: 'clemence.vautrin@exemple.fr',
    phone: '07 22 33 44 55',
  };

  async function register(token: string, p: Person): Promise<SpouseSearchSummary> {
    const res = await api<SpouseSearchSummary>(url('/api/spouse-searches'), {
      token,
      body: {
        applicationId: THOMAS_APPLICATION,
        ...p,
        job: { appellationCode: '11573', appellationLabel: 'Boulanger / Boulangère', romeCode: 'D1102' },
        communes: [{ code: '11069', name: 'Carcassonne' }],
        radiusKm: 30,
        contractTypes: ['CDI'],
        availability: 'immediate',
        presentation: 'Boulangère depuis huit ans.',
        consent: true,
        consentText: SPOUSE_CONSENT_TEXT,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  it('are erased 2 years after their last change (withdrawn, or online and untouched), with their CV', async () => {
    const recruiter = await thomasTarget();
    await server.db.query(
      `update applications set doc = jsonb_set(doc, '{status}', to_jsonb('embauchee'::text)) where id = $1`,
      [THOMAS_APPLICATION],
    );
    const withdrawn = await register(recruiter.token, FIRST);
    const close = await api(url(`/api/spouse-searches/${withdrawn.id}/close`), {
      token: recruiter.token,
      body: { status: 'retiree' },
    });
    expect(close.status, JSON.stringify(close.body)).toBe(200);
    const online = await register(recruiter.token, SECOND);
    // A partner agency proposes an offer to the second one's CV (an application without account).
    const { rows: offers } = await server.db.query<{ id: string }>(
      `select id from offers where not deleted and doc->>'status' = 'publiee' and doc->>'organisationId' = $1 limit 1`,
      [DEMO_ORGANISATIONS.agence.id],
    );
    const proposal = await api<{ application: { id: string } }>(url('/api/cvtheque/proposals'), {
      token: await server.login('agence@demo.test'),
      body: { cvId: online.cvId, offerId: offers[0]!.id, message: 'Un poste à Carcassonne.' },
    });
    expect(proposal.status, JSON.stringify(proposal.body)).toBe(201);
    for (const p of [FIRST, SECOND]) expect((await leaks(needlesOf(p))).length).toBeGreaterThan(1);

    // Last week, the agency changed the proposal (any change counts): the second search stays.
    clock.advance(2 * 365 * DAY - 7 * DAY);
    const p = await stored(proposal.body.application.id);
    await writeApplication(server.db, server.app.engine, { ...p.doc, updatedAt: clock.now().toISOString() });
    clock.advance(9 * DAY);

    const first = await runRetention();
    expect(first.spouseSearchesPurged).toBe(1);
    expect(await leaks(needlesOf(FIRST))).toEqual([]);
    expect(
      (await server.db.query('select 1 from spouse_searches where id = $1', [withdrawn.id])).rows,
    ).toEqual([]);
    const kept = await server.db.query<{ status: string }>(
      'select status from spouse_searches where id = $1',
      [online.id],
    );
    expect(kept.rows).toEqual([{ status: 'en_ligne' }]);
    const cv = await server.db.query<{ deleted: boolean }>('select deleted from cvs where id = $1', [
      online.cvId,
    ]);
    expect(cv.rows[0]?.deleted).toBe(false);
    expect(await runRetention()).toMatchObject({ spouseSearchesPurged: 0 });

    // Two more years without a change: the online search goes too, its CV and the proposal.
    clock.advance(2 * 366 * DAY);
    const later = await runRetention();
    expect(later.spouseSearchesPurged).toBe(1);
    expect(await leaks(needlesOf(SECOND))).toEqual([]);
    const gone = await server.db.query<{ deleted: boolean }>('select deleted from cvs where id = $1', [
      online.cvId,
    ]);
    expect(gone.rows[0]?.deleted, 'the CVthèque row is a tombstone for every replica').toBe(true);
    expect((await stored(proposal.body.application.id)).deleted).toBe(true);
    expect((await server.db.query('select 1 from cv_search where id = $1', [online.cvId])).rows).toEqual([]);
    expect(await runRetention()).toMatchObject({ spouseSearchesPurged: 0, applicationsPurged: 0 });
  });

  it('keeps a search its person claimed (their own CV now, erased with their account)', async () => {
    const recruiter = await thomasTarget();
    await server.db.query(
      `update applications set doc = jsonb_set(doc, '{status}', to_jsonb('embauchee'::text)) where id = $1`,
      [THOMAS_APPLICATION],
    );
    const search = await register(recruiter.token, FIRST);
    const account = randomUUID();
    await server.db.query(
      `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at, last_active_at)
       values ($1, $2, 'x', 'candidate', $3, $4, now(), now())`,
      [account, FIRST.email, FIRST.firstName, FIRST.lastName],
    );
    await server.db.query(
      'update spouse_searches set claimed_account_id = $2, claimed_at = now() where id = $1',
      [search.id, account],
    );
    clock.advance(2 * 365 * DAY + 2 * DAY);
    expect((await runRetention()).spouseSearchesPurged).toBe(0);
    expect(
      (await server.db.query('select 1 from spouse_searches where id = $1', [search.id])).rows,
    ).toHaveLength(1);
  });
});
