import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordSearch, setFavourite } from '../../shared/domain/searches';
import type { CvDoc } from '../../shared/schemas/cv.schema';
import type { NoticeDoc } from '../../shared/schemas/notice.schema';
import type { SearchDoc } from '../../shared/schemas/search.schema';
import { cvReplicaKeys } from '../src/cvtheque/keys';
import { writeCvSearch } from '../src/cvtheque/search-index';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { cvsCollection } from '../src/domain/cvs';
import { cvAlertTitle, runCvSearchAlerts } from '../src/jobs/cv-search-alerts';
import type { Doc } from '../src/sync/types';
import { api, startTestServer, type TestServer } from './harness';

/**
 * Favourite CV search alerts (seed 001: « Vous recevrez une alerte email si des nouveaux CVs sont
 * détectés pour vos recherches favorites »): once per new matching CV, one notice and one e-mail a
 * day at most, nothing for a search that is not a favourite.
 */

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const R1 = DEMO_ACCOUNTS[0].id;
const DAY = 24 * 3600 * 1000;
const BASE = 'http://alertes.test';

let server: TestServer;
let token = '';

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

beforeEach(async () => {
  await server.reset();
  token = await server.login('recruteur1@demo.test');
});

afterAll(async () => {
  await server?.stop();
});

function cv(id: string, title: string, updatedAt: Date): CvDoc {
  return {
    id,
    title,
    express: false,
    romeCode: 'D1102',
    experiences: [],
    diplomas: [],
    skills: [{ id: `${id}-s`, label: 'Viennoiseries', level: 4 }],
    languages: [],
    licences: [],
    completeness: 70,
    anonymous: true,
    commune: { code: '11069', name: 'Carcassonne', lat: 43.213, lon: 2.3491 },
    publishedAt: updatedAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

/** Writes CVthèque projections as the portal does (replicated row and search index). */
async function publish(...docs: CvDoc[]) {
  await server.db.transaction(async (tx) => {
    for (const doc of docs) {
      await server.app.engine.write(tx, cvsCollection, doc as unknown as Doc, false, {
        keys: cvReplicaKeys(doc),
      });
      await writeCvSearch(tx, doc);
    }
  });
}

/** Records a search in R1's history through the sync push, starred or not. */
async function saveSearch(keywords: string, favourite: boolean): Promise<SearchDoc> {
  let doc = recordSearch(
    null,
    { ownerId: R1, organisationId: BAKERY, criteria: { keywords }, resultCount: 0, source: 'local' },
    new Date(Date.now() - 60_000),
  );
  if (favourite) doc = setFavourite(doc, true, new Date(Date.now() - 30_000));
  const res = await api<unknown[]>(`${server.url}/api/sync/searches/v0/push`, {
    token,
    body: [{ assumedMasterState: null, newDocumentState: { ...doc, _deleted: false } }],
  });
  expect(res.status).toBe(200);
  expect(res.body).toEqual([]);
  return doc;
}

async function alertMails() {
  const { rows } = await server.db.query<{ to_address: string; subject: string; body_text: string }>(
    "select to_address, subject, body_text from email_outbox where dedupe_key like 'cv-search-alert|%' order by id",
  );
  return rows;
}

async function alertNotices(): Promise<NoticeDoc[]> {
  const { rows } = await server.db.query<{ doc: NoticeDoc }>(
    "select doc from notices where doc->>'userId' = $1 and doc->>'documentCollection' = 'searches' order by seq",
    [R1],
  );
  return rows.map((r) => r.doc);
}

async function searchDoc(id: string): Promise<SearchDoc> {
  const { rows } = await server.db.query<{ doc: SearchDoc }>('select doc from searches where id = $1', [id]);
  return rows[0]!.doc;
}

describe('favourite CV search alerts', () => {
  it('alert once per new matching CV: one notice and one e-mail a day, then the search records it', async () => {
    const before = new Date(Date.now() - 2 * DAY);
    // Matches, but was published before the search was starred: not new.
    await publish(cv('c0000000-0000-4000-8000-000000000000', 'Pâtissier confirmé', before));
    const search = await saveSearch('pâtissier', true);
    const now = new Date(Date.now() + 1000);
    await publish(
      cv('c0000000-0000-4000-8000-000000000001', 'Pâtissière', now),
      cv('c0000000-0000-4000-8000-000000000002', 'Chef pâtissier', now),
      cv('c0000000-0000-4000-8000-000000000003', 'Chauffeur poids lourd', now),
    );

    const first = await runCvSearchAlerts(server.db, server.app.engine, new Date(now.getTime() + 60_000), {
      base: BASE,
    });
    expect(first).toEqual({ checked: 1, alerted: 1, cvs: 2 });
    const mails = await alertMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to_address).toBe('recruteur1@demo.test');
    expect(mails[0]!.subject).toBe('CVthèque : 2 nouveaux CV');
    expect(mails[0]!.body_text).toContain('2 nouveaux CV pour votre recherche « pâtissier »');
    expect(mails[0]!.body_text).toContain('- Pâtissière — Carcassonne');
    expect(mails[0]!.body_text).not.toContain('Chauffeur');
    expect(mails[0]!.body_text).not.toContain('confirmé');
    const notices = await alertNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      kind: 'information',
      title: '2 nouveaux CV pour votre recherche « pâtissier »',
      documentId: search.id,
    });
    expect(await searchDoc(search.id)).toMatchObject({ lastAlertCount: 2, favourite: true, runCount: 1 });
    expect((await searchDoc(search.id)).lastAlertAt).toBe(new Date(now.getTime() + 60_000).toISOString());

    // The same day again: nothing (once a day).
    expect(
      await runCvSearchAlerts(server.db, server.app.engine, new Date(now.getTime() + 120_000), {
        base: BASE,
      }),
    ).toEqual({
      checked: 0,
      alerted: 0,
      cvs: 0,
    });

    // Next day: one more new CV, and an alerted CV updated again: only the new one is alerted.
    const later = new Date(now.getTime() + DAY);
    await publish(
      cv('c0000000-0000-4000-8000-000000000002', 'Chef pâtissier (mis à jour)', later),
      cv('c0000000-0000-4000-8000-000000000004', 'Pâtissier chocolatier', later),
    );
    expect(
      await runCvSearchAlerts(server.db, server.app.engine, new Date(later.getTime() + 60_000), {
        base: BASE,
      }),
    ).toEqual({
      checked: 1,
      alerted: 1,
      cvs: 1,
    });
    const all = await alertMails();
    expect(all).toHaveLength(2);
    expect(all[1]!.subject).toBe('CVthèque : 1 nouveau CV');
    expect(all[1]!.body_text).toContain('Pâtissier chocolatier');
    expect(all[1]!.body_text).not.toContain('mis à jour');
    expect((await alertNotices()).map((n) => n.title)).toEqual([
      cvAlertTitle(2, 'pâtissier'),
      cvAlertTitle(1, 'pâtissier'),
    ]);
    expect((await searchDoc(search.id)).lastAlertCount).toBe(1);

    // A day without new CVs: checked, nothing sent, the last alert kept.
    const quiet = new Date(later.getTime() + 2 * DAY);
    expect(await runCvSearchAlerts(server.db, server.app.engine, quiet, { base: BASE })).toEqual({
      checked: 1,
      alerted: 0,
      cvs: 0,
    });
    expect(await alertMails()).toHaveLength(2);
  });

  it('a search that is not a favourite sends nothing; unstarring stops the alerts', async () => {
    const plain = await saveSearch('boulanger', false);
    const starred = await saveSearch('pâtissier', true);
    const now = new Date(Date.now() + 1000);
    await publish(
      cv('c0000000-0000-4000-8000-000000000011', 'Boulanger', now),
      cv('c0000000-0000-4000-8000-000000000012', 'Pâtissier', now),
    );
    // The job runs with the other scheduled jobs.
    const results = await server.app.scheduler.runAll();
    expect(results['cv-search-alerts']).toEqual({ checked: 1, alerted: 1, cvs: 1 });
    expect(await alertMails()).toHaveLength(1);
    expect((await alertNotices()).every((n) => n.documentId === starred.id)).toBe(true);
    expect((await searchDoc(plain.id)).lastAlertAt).toBeUndefined();

    // Unstarred from a device: the next days send nothing, even for new CVs.
    const master = await searchDoc(starred.id);
    const off = setFavourite(master, false, new Date());
    const res = await api<unknown[]>(`${server.url}/api/sync/searches/v0/push`, {
      token,
      body: [
        { assumedMasterState: { ...master, _deleted: false }, newDocumentState: { ...off, _deleted: false } },
      ],
    });
    expect(res.body).toEqual([]);
    const next = new Date(now.getTime() + DAY);
    await publish(cv('c0000000-0000-4000-8000-000000000013', 'Pâtissière', next));
    expect(
      await runCvSearchAlerts(server.db, server.app.engine, new Date(next.getTime() + 60_000), {
        base: BASE,
      }),
    ).toEqual({
      checked: 0,
      alerted: 0,
      cvs: 0,
    });
    expect(await alertMails()).toHaveLength(1);
  });
});
