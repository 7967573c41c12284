import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../shared/domain/account';
import { memoryDatabaseOptions } from '../../test/harness';
import { createSyncEngine } from '../app';
import { type Database, openDatabase } from '../db/database';
import { migrate } from '../db/migrations';
import { offersCollection } from '../domain/offers';
import type { SyncEngine } from './engine';

const ORG = '0b0e0000-0000-4000-8000-0000000000aa';
const user: SessionUser = {
  id: '0a0c0000-0000-4000-8000-0000000000aa',
  email: 'r@example.fr',
  firstName: 'R',
  lastName: 'R',
  kind: 'recruiter',
  emailConfirmed: true,
  memberships: [
    { organisationId: ORG, organisationName: 'O', kind: 'employer', role: 'admin', verified: true },
  ],
};

describe('SyncEngine positions', () => {
  let db: Database;
  let engine: SyncEngine;
  beforeAll(async () => {
    db = await openDatabase(memoryDatabaseOptions());
    await migrate(db);
    engine = createSyncEngine(db);
  });
  afterAll(async () => db.close());

  it('orders transaction ids as numbers, across 999 → 1000, in pages mixing changes and exits', async () => {
    // Burn transaction ids until every position below is in the past.
    for (;;) {
      const { rows } = await db.query<{ x: string }>('select pg_current_xact_id()::text as x');
      if (Number(rows[0]!.x) > 1002) break;
    }
    const rows = [
      ['a', 5, 1],
      ['b', 99, 2],
      ['c', 999, 3],
      ['d', 1000, 4],
      ['e', 1001, 5],
    ] as const;
    for (const [id, txid, seq] of rows) {
      await db.query(
        `insert into offers (id, doc, keys, deleted, txid, seq) values ($1, $2, $3, false, $4, $5)`,
        [id, JSON.stringify({ id, title: id }), [`org:${ORG}`], txid, seq],
      );
    }
    const seen: string[] = [];
    let checkpoint = null;
    for (;;) {
      const page = await engine.pull(user, offersCollection, checkpoint, 1);
      if (page.documents.length === 0) break;
      seen.push(...page.documents.map((d) => d.id));
      checkpoint = page.checkpoint;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await engine.head(user, offersCollection)).toEqual({ txid: '1001', seq: 5 });
  });

  it('never skips when a page mixes document changes and exits across 999 → 1000', async () => {
    await db.query('delete from offers');
    for (const [id, txid, seq] of [
      ['p', 999, 3],
      ['q', 1000, 4],
    ] as const) {
      await db.query(
        `insert into offers (id, doc, keys, deleted, txid, seq) values ($1, $2, $3, false, $4, $5)`,
        [id, JSON.stringify({ id, title: id }), [`org:${ORG}`], txid, seq],
      );
    }
    for (const [id, txid, seq] of [
      ['x', 998, 2],
      ['y', 1001, 5],
    ] as const) {
      await db.query(
        `insert into sync_exits (collection, doc_id, keys, txid, seq) values ('offers', $1, $2, $3, $4)`,
        [id, [`user:${user.id}`], txid, seq],
      );
    }
    const seen: string[] = [];
    let checkpoint = null;
    for (;;) {
      const page = await engine.pull(user, offersCollection, checkpoint, 2);
      if (page.documents.length === 0) break;
      seen.push(...page.documents.map((d) => `${d.id}${d._deleted ? '†' : ''}`));
      checkpoint = page.checkpoint;
    }
    expect(seen).toEqual(['x†', 'p', 'q', 'y†']);
  });

  it('gives a committed write a position after every earlier one', async () => {
    const before = (await engine.head(user, offersCollection))!;
    const position = await db.transaction((tx) =>
      engine.write(tx, offersCollection, { id: 'f', organisationId: ORG, status: 'brouillon' }, false),
    );
    expect(BigInt(position.txid) > BigInt(before.txid)).toBe(true);
    const page = await engine.pull(user, offersCollection, before, 100);
    expect(page.documents.map((d) => d.id)).toEqual(['f']);
    expect(page.checkpoint).toEqual({ txid: position.txid, seq: position.seq });
  });

  it('answers the same page as JSON text as it does as objects (changes, exits, text to escape)', async () => {
    await db.query('delete from offers');
    await db.query('delete from sync_exits');
    const tricky = {
      id: 't',
      title: 'Guillemets " barre \\ retour\nligne « é » 😀',
      salaryMin: 1900.5,
      tags: [1, 2],
    };
    await db.query(
      `insert into offers (id, doc, keys, deleted, txid, seq) values ($1, $2, $3, false, 5, 1), ('gone', $4, $3, true, 5, 2)`,
      [tricky.id, JSON.stringify(tricky), [`org:${ORG}`], JSON.stringify({ id: 'gone' })],
    );
    await db.query(
      `insert into sync_exits (collection, doc_id, keys, txid, seq) values ('offers', 'x', $1, 5, 3)`,
      [[`user:${user.id}`]],
    );
    for (const [checkpoint, limit] of [
      [null, 10],
      [null, 1],
      [{ txid: '5', seq: 1 }, 10],
      [{ txid: '5', seq: 3 }, 10],
    ] as const) {
      const objects = await engine.pull(user, offersCollection, checkpoint, limit);
      const text = JSON.parse(await engine.pullJson(user, offersCollection, checkpoint, limit));
      expect(text).toEqual(JSON.parse(JSON.stringify(objects)));
    }
    const all = JSON.parse(await engine.pullJson(user, offersCollection, null, 10));
    expect(
      all.documents.map((d: { id: string; _deleted: boolean }) => `${d.id}${d._deleted ? '†' : ''}`),
    ).toEqual(['t', 'gone†', 'x†']);
    expect(all.documents[0].title).toBe(tricky.title);
  });

  it('joins a page of live documents in the database (PGlite): same answer, every text kept', async () => {
    await db.query('delete from offers');
    await db.query('delete from sync_exits');
    const docs = [
      { id: 'a', title: 'Début {"_deleted":true, x} et fin', note: '\u0001 contrôle \u0002 }{ accolades' },
      { id: 'b', title: '{', nested: { list: [{ k: '}{' }], empty: {} }, n: -0.5 },
      { id: 'c', title: 'Cuisinier(ère) « été » 😀 \\ barre', tags: [] },
    ];
    for (const [i, d] of docs.entries()) {
      await db.query(
        `insert into offers (id, doc, keys, deleted, txid, seq) values ($1, $2, $3, false, 7, $4)`,
        [d.id, JSON.stringify(d), [`org:${ORG}`], i + 1],
      );
    }
    for (const [checkpoint, limit] of [
      [null, 10],
      [null, 2],
      [{ txid: '7', seq: 2 }, 10],
      [{ txid: '7', seq: 3 }, 10],
    ] as const) {
      const objects = await engine.pull(user, offersCollection, checkpoint, limit);
      const text = JSON.parse(await engine.pullJson(user, offersCollection, checkpoint, limit));
      expect(text).toEqual(JSON.parse(JSON.stringify(objects)));
    }
    const all = JSON.parse(await engine.pullJson(user, offersCollection, null, 10));
    expect(all.documents).toEqual(docs.map((d) => ({ _deleted: false, ...d })));
    expect(all.checkpoint).toEqual({ txid: '7', seq: 3 });
  });
});
