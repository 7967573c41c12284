import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  activeCvIds,
  addToList,
  mergeCvLists,
  newCvList,
  removeFromList,
  renameList,
} from '../../shared/domain/cv-lists';
import { recordSearch, searchIdFor, setFavourite } from '../../shared/domain/searches';
import type { CvListDoc } from '../../shared/schemas/cv-list.schema';
import type { NoticeDoc } from '../../shared/schemas/notice.schema';
import type { SearchDoc } from '../../shared/schemas/search.schema';
import type { PullResponse, SyncCheckpoint } from '../../shared/sync/protocol';
import { hashPassword } from '../src/auth/password';
import { DEMO_CV_IDS } from '../src/candidate/demo-cvs';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { api, settle, startTestServer, type TestServer } from './harness';

/**
 * Saved CV lists and the search history on the sync spine (seed 001 « CV sauvegardés »,
 * « Historique de recherche »): concurrent offline edits merge, rights per owner and organisation,
 * server-owned alert fields.
 */

type Live<T> = T & { _deleted: boolean };
type ListRow = Live<CvListDoc>;

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const AGENCY = DEMO_ORGANISATIONS.agence.id;
const PLATFORM = DEMO_ORGANISATIONS.plateforme.id;
const R1 = DEMO_ACCOUNTS[0].id;

let server: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

async function addMember(email: string, organisationId: string) {
  const id = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, job_title)
     values ($1, $2, $3, 'recruiter', 'Prénom', 'Nom', 'Recruteur')`,
    [id, email, await hashPassword(DEMO_PASSWORD)],
  );
  await server.db.query(
    "insert into memberships (account_id, organisation_id, role) values ($1, $2, 'member')",
    [id, organisationId],
  );
  return { id, token: await server.login(email) };
}

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

beforeEach(async () => {
  await server.reset();
  for (const who of ['recruteur1', 'agence', 'moderateur', 'candidat', 'conseiller']) {
    tokens[who] = await server.login(`${who}@demo.test`);
  }
  const m = await addMember('collegue@boulangerie.test', BAKERY);
  tokens.collegue = m.token;
  ids.collegue = m.id;
});

afterAll(async () => {
  await server?.stop();
});

const url = (collection: string) => `${server.url}/api/sync/${collection}/v0`;

async function pullAll<T>(collection: string, token: string): Promise<Map<string, Live<T>>> {
  await settle(server.db);
  const docs = new Map<string, Live<T>>();
  let checkpoint: SyncCheckpoint | null = null;
  for (let i = 0; i < 100; i++) {
    const q = new URLSearchParams({ batchSize: '50' });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await api<PullResponse<Live<T>>>(`${url(collection)}/pull?${q}`, { token });
    expect(res.status).toBe(200);
    if (res.body.documents.length === 0) break;
    for (const d of res.body.documents) docs.set((d as unknown as { id: string }).id, d);
    checkpoint = res.body.checkpoint;
  }
  return docs;
}

async function push<T>(
  collection: string,
  token: string,
  rows: { assumedMasterState: T | null; newDocumentState: T }[],
) {
  const res = await api<T[]>(`${url(collection)}/push`, { token, body: rows });
  expect(res.status).toBe(200);
  return res.body;
}

async function noticesOf(userId: string): Promise<NoticeDoc[]> {
  const { rows } = await server.db.query<{ doc: NoticeDoc }>(
    "select doc from notices where doc->>'userId' = $1 and not deleted order by seq",
    [userId],
  );
  return rows.map((r) => r.doc);
}

const live = <T>(doc: T): Live<T> => ({ ...doc, _deleted: false });
const now = (offsetMin = 0) => new Date(Date.now() + offsetMin * 60_000).toISOString();

function freshList(patch: Partial<CvListDoc> = {}): CvListDoc {
  return {
    ...newCvList({ id: randomUUID(), organisationId: BAKERY, ownerId: R1, name: 'Vendeurs', now: now(-10) }),
    ...patch,
  };
}

/** Pushes a new list as `token` and returns the master the server stored. */
async function created(token: string, list: CvListDoc): Promise<ListRow> {
  expect(await push('cvLists', token, [{ assumedMasterState: null, newDocumentState: live(list) }])).toEqual(
    [],
  );
  const mine = await pullAll<CvListDoc>('cvLists', token);
  return mine.get(list.id)!;
}

describe('saved CV lists: concurrent offline edits merge', () => {
  it('two pushes from the same base: both devices’ additions and removals are kept', async () => {
    const base = await created(
      tokens.recruteur1!,
      addToList(freshList(), ['cv-a', 'cv-b', 'cv-c'], R1, now(-9)),
    );
    expect(activeCvIds(base).sort()).toEqual(['cv-a', 'cv-b', 'cv-c']);

    // Two devices, offline, each from the same base.
    const left = removeFromList(addToList(base, ['cv-d'], R1, now(-8)), ['cv-a'], now(-7));
    const right = removeFromList(addToList(base, ['cv-e'], R1, now(-6)), ['cv-b'], now(-5));

    expect(
      await push('cvLists', tokens.recruteur1!, [{ assumedMasterState: base, newDocumentState: live(left) }]),
    ).toEqual([]);
    // The second device's base is stale: the server answers its master (a conflict, no refusal)…
    const conflicts = await push<ListRow>('cvLists', tokens.recruteur1!, [
      { assumedMasterState: base, newDocumentState: live(right) },
    ]);
    expect(conflicts).toHaveLength(1);
    const master = conflicts[0]!;
    expect(activeCvIds(master).sort()).toEqual(['cv-b', 'cv-c', 'cv-d']);
    // …which the workstation's conflict handler merges (`mergeCvLists`) and pushes again.
    const { _deleted, ...masterDoc } = master;
    const resolved = mergeCvLists(masterDoc as CvListDoc, right);
    expect(
      await push('cvLists', tokens.recruteur1!, [
        { assumedMasterState: master, newDocumentState: live(resolved) },
      ]),
    ).toEqual([]);

    const final = (await pullAll<CvListDoc>('cvLists', tokens.recruteur1!)).get(base.id)!;
    expect(activeCvIds(final).sort()).toEqual(['cv-c', 'cv-d', 'cv-e']);
    expect(await noticesOf(R1)).toEqual([]);
  });

  it('the server merges with its master: a push that lost entries does not drop them', async () => {
    const base = await created(tokens.recruteur1!, addToList(freshList(), ['cv-a', 'cv-b'], R1, now(-9)));
    const stale = live({ ...addToList({ ...base, entries: [] }, ['cv-z'], R1, now(-1)) });
    expect(
      await push('cvLists', tokens.recruteur1!, [{ assumedMasterState: base, newDocumentState: stale }]),
    ).toEqual([]);
    const final = (await pullAll<CvListDoc>('cvLists', tokens.recruteur1!)).get(base.id)!;
    expect(activeCvIds(final).sort()).toEqual(['cv-a', 'cv-b', 'cv-z']);
  });

  it('renames: the later rename wins; the owner id and organisation never change', async () => {
    const base = await created(tokens.recruteur1!, freshList());
    const renamed = renameList(base, { name: '  Pâtissiers  ' }, now(-1));
    await push('cvLists', tokens.recruteur1!, [
      {
        assumedMasterState: base,
        newDocumentState: live({ ...renamed, ownerId: ids.collegue!, organisationId: AGENCY }),
      },
    ]);
    const final = (await pullAll<CvListDoc>('cvLists', tokens.recruteur1!)).get(base.id)!;
    expect(final).toMatchObject({ name: 'Pâtissiers', ownerId: R1, organisationId: BAKERY });
  });
});

describe('saved CV lists: rights', () => {
  it('a private list is its owner’s; a shared one every member’s, who may edit but not unshare or delete it', async () => {
    const base = await created(tokens.recruteur1!, addToList(freshList(), ['cv-a'], R1, now(-9)));
    expect((await pullAll<CvListDoc>('cvLists', tokens.collegue!)).has(base.id)).toBe(false);
    // A colleague cannot change a private list (it does not exist for them).
    const answer = await push<ListRow>('cvLists', tokens.collegue!, [
      { assumedMasterState: base, newDocumentState: live(addToList(base, ['cv-x'], ids.collegue!, now())) },
    ]);
    expect(answer[0]?._deleted).toBe(true);
    expect((await noticesOf(ids.collegue!))[0]).toMatchObject({
      kind: 'refus',
      title: 'Modification refusée',
    });

    const shared = renameList(base, { shared: true }, now(-8));
    await push('cvLists', tokens.recruteur1!, [{ assumedMasterState: base, newDocumentState: live(shared) }]);
    const seen = (await pullAll<CvListDoc>('cvLists', tokens.collegue!)).get(base.id)!;
    expect(seen.shared).toBe(true);

    // The colleague adds a CV and tries to unshare: the CV is kept, the sharing is not changed.
    const edit = renameList(addToList(seen, ['cv-b'], ids.collegue!, now(-7)), { shared: false }, now(-6));
    expect(
      await push('cvLists', tokens.collegue!, [{ assumedMasterState: seen, newDocumentState: live(edit) }]),
    ).toEqual([]);
    const after = (await pullAll<CvListDoc>('cvLists', tokens.recruteur1!)).get(base.id)!;
    expect(after.shared).toBe(true);
    expect(activeCvIds(after).sort()).toEqual(['cv-a', 'cv-b']);
    expect(after.entries.find((e) => e.cvId === 'cv-b')?.addedBy).toBe(ids.collegue);
    expect((await noticesOf(ids.collegue!)).map((n) => n.title)).toContain('Partage inchangé');

    // Only the owner deletes it.
    const refused = await push<ListRow>('cvLists', tokens.collegue!, [
      { assumedMasterState: after, newDocumentState: { ...after, _deleted: true } },
    ]);
    expect(refused[0]?._deleted).toBe(false);
    expect((await noticesOf(ids.collegue!)).some((n) => n.title === 'Suppression refusée')).toBe(true);
    expect(
      await push('cvLists', tokens.recruteur1!, [
        { assumedMasterState: after, newDocumentState: { ...after, _deleted: true } },
      ]),
    ).toEqual([]);
    expect((await pullAll<CvListDoc>('cvLists', tokens.collegue!)).get(base.id)?._deleted).toBe(true);
  });

  it('only members of a CVthèque organisation create lists for it; names are checked', async () => {
    const cases: [string, string, string][] = [
      ['agence', BAKERY, 'Organisation non autorisée'],
      ['moderateur', PLATFORM, 'Organisation non autorisée'],
      ['recruteur1', BAKERY, 'Liste refusée'],
    ];
    for (const [who, org, title] of cases) {
      const list = freshList({ organisationId: org, name: title === 'Liste refusée' ? '   ' : 'Liste' });
      const answer = await push<ListRow>('cvLists', tokens[who]!, [
        { assumedMasterState: null, newDocumentState: live(list) },
      ]);
      expect(answer[0]?._deleted).toBe(true);
      const userId = DEMO_ACCOUNTS.find((a) => a.email === `${who}@demo.test`)!.id;
      const notice = (await noticesOf(userId)).find((n) => n.documentId === list.id);
      expect(notice, who).toMatchObject({ kind: 'refus', title });
    }
    const refusedName = (await noticesOf(R1)).find((n) => n.title === 'Liste refusée');
    expect(refusedName?.fields).toEqual([{ field: 'name', message: 'Donnez un nom à la liste.' }]);
    // An advisor (prescriber) keeps lists too, and the candidate has no replica at all.
    const advisorList = freshList({ organisationId: DEMO_ORGANISATIONS.prescripteur.id });
    expect(
      await push('cvLists', tokens.conseiller!, [
        { assumedMasterState: null, newDocumentState: live(advisorList) },
      ]),
    ).toEqual([]);
    const candidate = await api(`${url('cvLists')}/pull`, { token: tokens.candidat! });
    expect(candidate.status).toBe(403);
  });
});

describe('saved CV lists: the CVs follow their lists', () => {
  it('a CV in a private list reaches its owner, in a shared one the organisation; removed, it leaves', async () => {
    const keysOf = async () =>
      (
        await server.db.query<{ keys: string[] }>('select keys from cvs where id = $1', [
          DEMO_CV_IDS.published,
        ])
      ).rows[0]!.keys;
    expect(await keysOf()).not.toContain(`user:${R1}`);
    const base = await created(
      tokens.recruteur1!,
      addToList(freshList(), [DEMO_CV_IDS.published], R1, now(-9)),
    );
    expect(await keysOf()).toContain(`user:${R1}`);

    const shared = renameList(base, { shared: true }, now(-8));
    await push('cvLists', tokens.recruteur1!, [{ assumedMasterState: base, newDocumentState: live(shared) }]);
    expect(await keysOf()).toContain(`org:${BAKERY}`);
    expect(await keysOf()).not.toContain(`user:${R1}`);
    const sharedMaster = (await pullAll<CvListDoc>('cvLists', tokens.recruteur1!)).get(base.id)!;

    const removed = removeFromList(sharedMaster, [DEMO_CV_IDS.published], now(-7));
    await push('cvLists', tokens.recruteur1!, [
      { assumedMasterState: sharedMaster, newDocumentState: live(removed) },
    ]);
    expect(await keysOf()).not.toContain(`org:${BAKERY}`);
    // The list's exit is recorded for the keys that left (replicas outside the CVthèque scope drop it).
    const { rows } = await server.db.query<{ keys: string[] }>(
      "select keys from sync_exits where collection = 'cvs' and doc_id = $1 order by seq",
      [DEMO_CV_IDS.published],
    );
    expect(rows.flatMap((r) => r.keys)).toEqual(expect.arrayContaining([`user:${R1}`, `org:${BAKERY}`]));
  });
});

describe('search history on the sync spine', () => {
  const criteria = { keywords: 'vendeur', rqthOnly: true };
  const entry = () =>
    recordSearch(
      null,
      { ownerId: R1, organisationId: BAKERY, criteria, resultCount: 3, source: 'local' },
      now(-5),
    );

  it('is its owner’s only; runs and favourite merge; alert fields stay the server’s', async () => {
    const first = entry();
    expect(first.id).toBe(searchIdFor(R1, criteria));
    expect(
      await push('searches', tokens.recruteur1!, [
        { assumedMasterState: null, newDocumentState: live(first) },
      ]),
    ).toEqual([]);
    expect((await pullAll<SearchDoc>('searches', tokens.collegue!)).size).toBe(0);
    const master = (await pullAll<SearchDoc>('searches', tokens.recruteur1!)).get(first.id)!;
    expect(master).toMatchObject({ runCount: 1, label: 'vendeur, RQTH', favourite: false });

    // The alert job wrote alert fields; a device then stars the search and claims other alert values.
    await server.db.query(
      `update searches set doc = doc || '{"lastAlertAt":"2026-01-01T00:00:00.000Z","lastAlertCount":2}'::jsonb where id = $1`,
      [first.id],
    );
    const starred = {
      ...setFavourite(
        recordSearch(
          master,
          { ownerId: R1, organisationId: BAKERY, criteria, resultCount: 5, source: 'serveur' },
          now(-1),
        ),
        true,
        now(-1),
      ),
      lastAlertCount: 99,
    };
    const masterNow = (
      await server.db.query<{ doc: SearchDoc }>('select doc from searches where id = $1', [first.id])
    ).rows[0]!.doc;
    expect(
      await push('searches', tokens.recruteur1!, [
        { assumedMasterState: live(masterNow), newDocumentState: live(starred) },
      ]),
    ).toEqual([]);
    const after = (await pullAll<SearchDoc>('searches', tokens.recruteur1!)).get(first.id)!;
    expect(after).toMatchObject({
      runCount: 2,
      resultCount: 5,
      resultSource: 'serveur',
      favourite: true,
      lastAlertAt: '2026-01-01T00:00:00.000Z',
      lastAlertCount: 2,
    });
  });

  it('refuses another owner’s id, an organisation of others and invalid criteria, in French', async () => {
    const other = { ...entry(), ownerId: ids.collegue! };
    await push('searches', tokens.recruteur1!, [{ assumedMasterState: null, newDocumentState: live(other) }]);
    const wrongOrg = { ...entry(), id: randomUUID(), organisationId: AGENCY };
    await push('searches', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(wrongOrg) },
    ]);
    const bad = { ...entry(), id: randomUUID(), criteria: { radiusKm: 500 } };
    await push('searches', tokens.recruteur1!, [{ assumedMasterState: null, newDocumentState: live(bad) }]);
    const notices = await noticesOf(R1);
    expect(notices.map((n) => n.fields?.[0]?.field)).toEqual([
      'ownerId',
      'organisationId',
      'criteria.radiusKm',
    ]);
    expect(notices[2]?.fields?.[0]?.message).toMatch(/rayon/);
    const { rows } = await server.db.query('select id from searches');
    expect(rows).toEqual([]);
  });
});
