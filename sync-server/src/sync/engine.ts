import { createHash, randomUUID } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import type { SessionUser } from '../../../shared/domain/account';
import type { PullResponse, PushRow, SyncCheckpoint } from '../../../shared/sync/protocol';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { findUnstorableText, storableText, UNSTORABLE_TEXT_MESSAGE } from '../text-safety';
import { canonicalJson, sameDocument } from './canonical';
import type { CollectionDef, Doc, NoticeDraft, Refusal } from './types';
import { userKeys } from './types';
import { compileSchema, validationErrors } from './validation';

export const CHANGES_CHANNEL = 'sync_changes';

/** The writing transaction's id as a bigint (assigns one if the transaction has none yet). */
export const CURRENT_TXID = 'pg_current_xact_id()::text::bigint';
/** Every transaction with a smaller id has finished (committed or rolled back). */
const XMIN = 'pg_snapshot_xmin(pg_current_snapshot())::text::bigint';

/** A change in the live feed (`SyncEngine.feedRows`). */
export interface FeedRow {
  id: string;
  /** The stored document's JSON text; null for an exit. */
  doc: string | null;
  deleted: boolean;
  position: SyncCheckpoint;
  /** The document's audience keys now ([] when it is gone). */
  keys: string[];
  /** For an exit: the keys the document left; null for a document row. */
  exitKeys: string[] | null;
}

type Row<D = Doc> = {
  id: string;
  doc: D | null;
  deleted: boolean;
  position_txid: string;
  seq: string | number;
};

/** What a live document's JSON text starts with in a pull answer. */
const LIVE_PREFIX = '{"_deleted":false,';

/**
 * One pull page of a collection (after `w`, the snapshot's xmin): the user's documents past the
 * checkpoint ($1, $2) whose writers have finished, and the exits of documents that left the user's
 * scope ($3: audience keys), in position order, at most $4 ($5: the collection's name).
 */
function pageSql(table: string): string {
  return `select u.id, u.doc, u.deleted, u.txid, u.seq from (
         (select d.id, d.doc, d.deleted, d.txid, d.seq
            from ${table} d, w
           where (d.txid, d.seq) > ($1::bigint, $2::bigint) and d.txid < w.xmin and d.keys && $3::text[]
           order by d.txid, d.seq limit $4)
         union all
         (select e.doc_id as id, null::jsonb as doc, true as deleted, e.txid, e.seq
            from sync_exits e, w
           where e.collection = $5 and (e.txid, e.seq) > ($1::bigint, $2::bigint) and e.txid < w.xmin
             and e.keys && $3::text[]
             and not exists (select 1 from ${table} c where c.id = e.doc_id and c.keys && $3::text[])
           order by e.txid, e.seq limit $4)
       ) u order by u.txid, u.seq limit $4`;
}

function positionOf(row: Row<unknown>): SyncCheckpoint {
  return { txid: row.position_txid, seq: Number(row.seq) };
}

/**
 * The replication engine: pull, push and writes for every collection, independent of HTTP.
 *
 * Positions: every write stamps the row with the writing transaction's id (xid8, kept as
 * bigint) and a
 * global sequence. A pull only returns rows whose transaction id is below the oldest
 * transaction still running (`pg_snapshot_xmin`): every transaction below that line has
 * finished, and any later commit gets a larger id, so a checkpoint never jumps over a
 * change that commits afterwards.
 */
export class SyncEngine {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    readonly db: Database,
    readonly collections: Record<string, CollectionDef>,
  ) {
    for (const c of Object.values(collections)) this.validators.set(c.name, compileSchema(c.schema));
  }

  collection(name: string): CollectionDef | undefined {
    return Object.hasOwn(this.collections, name) ? this.collections[name] : undefined;
  }

  async pull(
    user: SessionUser,
    collection: CollectionDef,
    checkpoint: SyncCheckpoint | null,
    limit: number,
  ): Promise<PullResponse<Doc>> {
    const rows = await this.pullRows<Doc>(user, collection, checkpoint, limit, false);
    if (rows.length === 0) return { documents: [], checkpoint: checkpoint };
    const byId = new Map<string, Doc & { _deleted: boolean }>();
    for (const r of rows) {
      // Later positions of the same document replace earlier ones, and keep their place.
      byId.delete(r.id);
      byId.set(
        r.id,
        r.doc && !r.deleted
          ? { ...r.doc, _deleted: false }
          : { ...collection.tombstone(r.id), _deleted: true },
      );
    }
    return { documents: [...byId.values()], checkpoint: positionOf(rows[rows.length - 1]!) };
  }

  /**
   * The same page as `pull`, as the JSON text of the answer. Documents go from PostgreSQL's
   * `jsonb` text straight into the answer, never parsed and re-serialised here: at 1,000
   * documents a page, that was the larger part of a pull's cost.
   *
   * On PGlite, a page of live documents only (a first sync, most live pages) is joined by the
   * database into one text: each row crossing from WebAssembly into JavaScript costs more than the
   * join (10,000 offers in pages of 1,000: 290 ms row by row, 170 ms joined, 155 ms for a bare
   * `SELECT doc::text` of the same rows). On a PostgreSQL server the rows arrive faster one by one
   * (20,000 offers: 250–380 ms row by row, 450–600 ms joined), so they do. A page with a tombstone
   * is read row by row, each tombstone made by its collection.
   */
  async pullJson(
    user: SessionUser,
    collection: CollectionDef,
    checkpoint: SyncCheckpoint | null,
    limit: number,
  ): Promise<string> {
    if (this.db.kind === 'pglite') {
      const joined = await this.pullJoined(user, collection, checkpoint, limit);
      if (joined !== null) return joined;
    }
    const rows = await this.pullRows<string>(user, collection, checkpoint, limit, true);
    if (rows.length === 0) return JSON.stringify({ documents: [], checkpoint });
    const byId = new Map<string, string>();
    for (const r of rows) {
      byId.delete(r.id);
      byId.set(
        r.id,
        r.doc && !r.deleted
          ? // A stored document is a non-empty object without `_deleted` (push strips it).
            `${LIVE_PREFIX}${r.doc.slice(1)}`
          : JSON.stringify({ ...collection.tombstone(r.id), _deleted: true }),
      );
    }
    const position = positionOf(rows[rows.length - 1]!);
    return `{"documents":[${[...byId.values()].join(',')}],"checkpoint":${JSON.stringify(position)}}`;
  }

  /** The page joined into one text by the database, or null if it holds a tombstone. */
  private async pullJoined(
    user: SessionUser,
    collection: CollectionDef,
    checkpoint: SyncCheckpoint | null,
    limit: number,
  ): Promise<string | null> {
    const cp = checkpoint ?? { txid: '0', seq: 0 };
    const { rows: joined } = await this.db.query<{
      docs: string | null;
      gone: string | number;
      position_txid: string | null;
      seq: string | number | null;
    }>(
      `with w as (select ${XMIN} as xmin),
       page as materialized (${pageSql(collection.table)}),
       last as (select txid, seq from page order by txid desc, seq desc limit 1)
       select (select string_agg(doc::text, E'\\x01') from page) as docs,
              (select count(*) from page where doc is null or deleted) as gone,
              (select txid::text from last) as position_txid,
              (select seq from last) as seq`,
      [cp.txid, cp.seq, userKeys(user), limit, collection.name],
    );
    const page = joined[0];
    if (!page || Number(page.gone) !== 0) return null;
    if (page.position_txid === null || page.seq === null || page.docs === null)
      return JSON.stringify({ documents: [], checkpoint });
    const position: SyncCheckpoint = { txid: page.position_txid, seq: Number(page.seq) };
    // Each stored document is a JSON object (\x01 never appears in PostgreSQL's JSON text: control
    // characters are escaped); each gets `"_deleted":false` as its first member.
    const docs = `${LIVE_PREFIX}${page.docs.slice(1).replaceAll('\x01{', `,${LIVE_PREFIX}`)}`;
    return `{"documents":[${docs}],"checkpoint":${JSON.stringify(position)}}`;
  }

  private async pullRows<D>(
    user: SessionUser,
    collection: CollectionDef,
    checkpoint: SyncCheckpoint | null,
    limit: number,
    asText: boolean,
  ): Promise<Row<D>[]> {
    const cp = checkpoint ?? { txid: '0', seq: 0 };
    const { rows } = await this.db.query<Row<D>>(
      `with w as (select ${XMIN} as xmin)
       select u.id, u.doc${asText ? '::text' : ''} as doc, u.deleted, u.txid::text as position_txid, u.seq
         from (${pageSql(collection.table)}) u order by u.txid, u.seq`,
      [cp.txid, cp.seq, userKeys(user), limit, collection.name],
    );
    return rows;
  }

  /**
   * The live feed's page (live-feed.ts): every change of the collection past `after` whose writer
   * has finished, whatever its audience, with the keys that say who sees it: a document's keys; for
   * an exit, the keys it left (`exitKeys`) and the document's keys now. Document texts as stored.
   */
  async feedRows(collection: CollectionDef, after: SyncCheckpoint | null, limit: number): Promise<FeedRow[]> {
    const cp = after ?? { txid: '0', seq: 0 };
    const { rows } = await this.db.query<{
      id: string;
      doc: string | null;
      deleted: boolean;
      position_txid: string;
      seq: string | number;
      keys: string[] | null;
      exit_keys: string[] | null;
    }>(
      `with w as (select ${XMIN} as xmin)
       select u.id, u.doc, u.deleted, u.txid::text as position_txid, u.seq, u.keys, u.exit_keys from (
         (select d.id, d.doc::text as doc, d.deleted, d.txid, d.seq, d.keys, null::text[] as exit_keys
            from ${collection.table} d, w
           where (d.txid, d.seq) > ($1::bigint, $2::bigint) and d.txid < w.xmin
           order by d.txid, d.seq limit $3)
         union all
         (select e.doc_id as id, null::text as doc, true as deleted, e.txid, e.seq,
                 (select c.keys from ${collection.table} c where c.id = e.doc_id) as keys, e.keys as exit_keys
            from sync_exits e, w
           where e.collection = $4 and (e.txid, e.seq) > ($1::bigint, $2::bigint) and e.txid < w.xmin
           order by e.txid, e.seq limit $3)
       ) u order by u.txid, u.seq limit $3`,
      [cp.txid, cp.seq, limit, collection.name],
    );
    return rows.map((r) => ({
      id: r.id,
      doc: r.doc,
      deleted: r.deleted,
      position: { txid: r.position_txid, seq: Number(r.seq) },
      keys: r.keys ?? [],
      exitKeys: r.exit_keys,
    }));
  }

  /** The newest position of the collection whose writer has finished (the live feed starts there). */
  async feedHead(collection: CollectionDef): Promise<SyncCheckpoint | null> {
    const { rows } = await this.db.query<{ position_txid: string; seq: string | number }>(
      `with w as (select ${XMIN} as xmin)
       select u.txid::text as position_txid, u.seq from (
         (select d.txid, d.seq from ${collection.table} d, w
           where d.txid < w.xmin order by d.txid desc, d.seq desc limit 1)
         union all
         (select e.txid, e.seq from sync_exits e, w
           where e.collection = $1 and e.txid < w.xmin order by e.txid desc, e.seq desc limit 1)
       ) u order by u.txid desc, u.seq desc limit 1`,
      [collection.name],
    );
    const r = rows[0];
    return r ? { txid: r.position_txid, seq: Number(r.seq) } : null;
  }

  /** Whether the collection has changes past `after` still held back by a running transaction. */
  async feedHeldBack(collection: CollectionDef, after: SyncCheckpoint | null): Promise<boolean> {
    const cp = after ?? { txid: '0', seq: 0 };
    const { rows } = await this.db.query<{ held: boolean }>(
      `select exists (select 1 from ${collection.table} d where (d.txid, d.seq) > ($1::bigint, $2::bigint))
           or exists (select 1 from sync_exits e
                       where e.collection = $3 and (e.txid, e.seq) > ($1::bigint, $2::bigint)) as held`,
      [cp.txid, cp.seq, collection.name],
    );
    return rows[0]?.held === true;
  }

  /** The newest position this user can see now: where a live stream starts. */
  async head(user: SessionUser, collection: CollectionDef): Promise<SyncCheckpoint | null> {
    const keys = userKeys(user);
    const { rows } = await this.db.query<{ position_txid: string; seq: string | number }>(
      `with w as (select ${XMIN} as xmin)
       select u.txid::text as position_txid, u.seq from (
         (select d.txid, d.seq from ${collection.table} d, w
           where d.txid < w.xmin and d.keys && $1::text[] order by d.txid desc, d.seq desc limit 1)
         union all
         (select e.txid, e.seq from sync_exits e, w
           where e.collection = $2 and e.txid < w.xmin and e.keys && $1::text[] order by e.txid desc, e.seq desc limit 1)
       ) u order by u.txid desc, u.seq desc limit 1`,
      [keys, collection.name],
    );
    const r = rows[0];
    return r ? { txid: r.position_txid, seq: Number(r.seq) } : null;
  }

  /**
   * Applies a push batch. Rows are independent: each is compared with its master,
   * checked, and written whole, or answered with the master state. The batch runs in
   * one transaction; should anything fail unexpectedly, nothing of it is kept and each
   * row is tried again alone, so one bad row never blocks the others.
   */
  async push(
    user: SessionUser,
    collection: CollectionDef,
    rows: PushRow<Doc>[],
  ): Promise<(Doc & { _deleted: boolean })[]> {
    if (rows.length === 0) return [];
    try {
      return await this.db.transaction((tx) => this.pushBatch(tx, user, collection, rows));
    } catch (batchError) {
      if (rows.length === 1) throw batchError;
      const conflicts: (Doc & { _deleted: boolean })[] = [];
      for (const row of rows) {
        conflicts.push(...(await this.db.transaction((tx) => this.pushBatch(tx, user, collection, [row]))));
      }
      return conflicts;
    }
  }

  private async pushBatch(
    tx: Queryable,
    user: SessionUser,
    collection: CollectionDef,
    rows: PushRow<Doc>[],
  ): Promise<(Doc & { _deleted: boolean })[]> {
    const ids = [...new Set(rows.map((r) => r.newDocumentState.id))];
    // Serialises pushes of the same documents, including two creations of one new id
    // (where `for update` has no row to lock yet); locks are taken in one global order.
    await tx.query(
      `select pg_advisory_xact_lock(h) from (
         select distinct hashtextextended($1 || ':' || id, 0) as h from unnest($2::text[]) as id order by h
       ) locks`,
      [collection.name, ids],
    );
    const found = await tx.query<{ id: string; doc: Doc; deleted: boolean; keys: string[] }>(
      `select id, doc, deleted, keys from ${collection.table} where id = any($1::text[]) for update`,
      [ids],
    );
    const masters = new Map(found.rows.map((r) => [r.id, r]));
    const keys = userKeys(user);
    const conflicts: (Doc & { _deleted: boolean })[] = [];
    let wrote = false;
    for (const row of rows) {
      const outcome = await this.pushRow(tx, user, keys, collection, row, masters);
      if (outcome.answer) conflicts.push(outcome.answer);
      wrote ||= outcome.wrote;
    }
    if (wrote) await tx.query('select pg_notify($1, $2)', [CHANGES_CHANNEL, collection.name]);
    return conflicts;
  }

  private async pushRow(
    tx: Queryable,
    user: SessionUser,
    keys: string[],
    collection: CollectionDef,
    row: PushRow<Doc>,
    masters: Map<string, { doc: Doc; deleted: boolean; keys: string[] }>,
  ): Promise<{ answer: (Doc & { _deleted: boolean }) | null; wrote: boolean }> {
    const { _deleted, _meta, _rev, _attachments, ...incoming } = row.newDocumentState as Doc & {
      _deleted?: unknown;
      _meta?: unknown;
      _rev?: unknown;
      _attachments?: unknown;
    };
    const incomingDeleted = _deleted === true;
    const id = incoming.id;
    const current = masters.get(id);
    const visible = !!current && current.keys.some((k) => keys.includes(k));
    const masterAnswer = (): Doc & { _deleted: boolean } =>
      current && visible && !current.deleted
        ? { ...current.doc, _deleted: false }
        : { ...collection.tombstone(id), _deleted: true };
    const refused = async (refusal: Refusal) => {
      await this.refuse(tx, user, collection, id, row, refusal);
      return { answer: masterAnswer(), wrote: true };
    };

    // 1. Compare-and-write: the client must have seen the current master.
    if (current && !visible) {
      return refused({
        title: 'Modification refusée',
        message: 'Ce document n’existe pas ou vous n’y avez pas accès.',
      });
    }
    const assumed = row.assumedMasterState ?? null;
    const matches = current
      ? !!assumed && sameDocument(stripMeta(assumed), masterAnswer())
      : !assumed || (assumed as { _deleted?: boolean })._deleted === true;
    if (!matches) return { answer: masterAnswer(), wrote: false };

    // 2. The same schema as the client's, and text PostgreSQL can store.
    const errors = validationErrors(this.validators.get(collection.name)!, incoming);
    const unstorable = findUnstorableText(incoming);
    if (unstorable) errors.push({ field: unstorable, message: UNSTORABLE_TEXT_MESSAGE });
    if (errors.length > 0) {
      return refused({
        title: 'Document refusé',
        message: 'Le document envoyé ne respecte pas le format attendu ; il n’a pas été enregistré.',
        fields: errors,
      });
    }
    if (current?.deleted && incomingDeleted) return { answer: null, wrote: false };

    // 3. Rights and domain rules.
    const decision = await collection.decide(
      { tx, user, now: clock.now() },
      current && !current.deleted ? current.doc : null,
      incoming,
      incomingDeleted,
    );
    if (decision.kind === 'refuse') return refused(decision.refusal);
    const deleted = decision.deleted ?? false;
    const { keys: newKeys } = await this.write(tx, collection, decision.doc, deleted, {
      previousKeys: current?.keys ?? [],
      notify: false,
    });
    // A later row of the same batch for this document compares with what was just written.
    masters.set(id, { doc: deleted ? collection.tombstone(id) : decision.doc, deleted, keys: newKeys });
    for (const n of decision.notices ?? []) await this.addNotice(tx, n);
    return { answer: null, wrote: true };
  }

  private async refuse(
    tx: Queryable,
    user: SessionUser,
    collection: CollectionDef,
    id: string,
    row: PushRow<Doc>,
    refusal: { title: string; message: string; fields?: { field: string; message: string }[] },
  ) {
    // A retried push must not add the same notice twice: its id derives from the row.
    const noticeId = uuidFrom(`${user.id}|${collection.name}|${id}|${canonicalJson(row.newDocumentState)}`);
    await this.addNotice(
      tx,
      {
        userId: user.id,
        kind: 'refus',
        collection: collection.name,
        documentId: id,
        title: refusal.title,
        message: refusal.message,
        ...(refusal.fields ? { fields: refusal.fields } : {}),
      },
      noticeId,
    );
    await tx.query(
      `insert into audit_log (actor_id, action, collection, document_id, detail) values ($1, 'push-refused', $2, $3, $4)`,
      [
        user.id,
        collection.name,
        id.slice(0, 100),
        JSON.stringify({ title: refusal.title, fields: refusal.fields ?? [] }),
      ],
    );
  }

  async addNotice(tx: Queryable, n: NoticeDraft, id: string = randomUUID()): Promise<void> {
    const exists = await tx.query('select 1 from notices where id = $1', [id]);
    if (exists.rows.length > 0) return;
    const doc: Doc = {
      id,
      userId: n.userId,
      kind: n.kind,
      title: clean(n.title, 200),
      message: clean(n.message, 2000),
      createdAt: clock.now().toISOString(),
      ...(n.collection ? { documentCollection: n.collection } : {}),
      ...(n.documentId ? { documentId: n.documentId.slice(0, 36) } : {}),
      ...(n.fields
        ? {
            fields: n.fields
              .slice(0, 50)
              .map((f) => ({ field: clean(f.field, 60), message: clean(f.message, 500) })),
          }
        : {}),
    };
    await this.write(tx, this.collections.notices!, doc, false);
  }

  /** Writes a document at a new position, records audience exits, and notifies listeners on commit. */
  async write(
    tx: Queryable,
    collection: CollectionDef,
    doc: Doc,
    deleted: boolean,
    options: {
      previousKeys?: string[];
      notify?: boolean;
      /** The row's audience when it depends on more than the document (CVthèque: lists, applications). */
      keys?: string[];
    } = {},
  ): Promise<SyncCheckpoint & { keys: string[] }> {
    const keys = options.keys ?? collection.keysFor(doc);
    // A deleted document keeps its audience (so replicas learn of the deletion) but no content.
    const stored = deleted ? collection.tombstone(doc.id) : doc;
    const previousKeys =
      options.previousKeys ??
      (await tx.query<{ keys: string[] }>(`select keys from ${collection.table} where id = $1`, [doc.id]))
        .rows[0]?.keys ??
      [];
    const { rows } = await tx.query<{ txid: string; seq: string | number }>(
      `insert into ${collection.table} (id, doc, keys, deleted, txid, seq)
       values ($1, $2, $3, $4, ${CURRENT_TXID}, nextval('sync_seq'))
       on conflict (id) do update set doc = excluded.doc, keys = excluded.keys, deleted = excluded.deleted,
         txid = excluded.txid, seq = excluded.seq
       returning txid::text as txid, seq`,
      [doc.id, JSON.stringify(stored), keys, deleted],
    );
    const position = { txid: rows[0]!.txid, seq: Number(rows[0]!.seq) };
    const gone = previousKeys.filter((k) => !keys.includes(k));
    if (gone.length > 0) {
      await tx.query(
        'insert into sync_exits (collection, doc_id, keys, txid, seq) values ($1, $2, $3, $4::bigint, $5)',
        [collection.name, doc.id, gone, position.txid, position.seq],
      );
    }
    if (options.notify !== false)
      await tx.query('select pg_notify($1, $2)', [CHANGES_CHANNEL, collection.name]);
    return { ...position, keys };
  }

  /**
   * Gives rows a new position without changing them: replicas whose checkpoint is already past
   * their old position pull them again (an audience that grew, e.g. a CVthèque scope).
   */
  async restamp(tx: Queryable, collection: CollectionDef, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { rows } = await tx.query<{ id: string }>(
      `update ${collection.table} set txid = ${CURRENT_TXID}, seq = nextval('sync_seq')
        where id = any($1::text[]) returning id`,
      [ids],
    );
    if (rows.length > 0) await tx.query('select pg_notify($1, $2)', [CHANGES_CHANNEL, collection.name]);
    return rows.length;
  }

  /**
   * Records that documents left one user's scope without changing (member removed,
   * visibility withdrawn): the user gets a tombstone for each at a new position.
   */
  async recordScopeExit(
    tx: Queryable,
    collection: CollectionDef,
    userId: string,
    docIds: string[],
  ): Promise<void> {
    if (docIds.length === 0) return;
    await tx.query(
      `insert into sync_exits (collection, doc_id, keys, txid, seq)
       select $1, id, array[$2::text], ${CURRENT_TXID}, nextval('sync_seq') from unnest($3::text[]) as id`,
      [collection.name, `user:${userId}`, docIds],
    );
    await tx.query('select pg_notify($1, $2)', [CHANGES_CHANNEL, collection.name]);
  }
}

/** Text safe to store and within the notice schema's bounds (field names may come from clients). */
function clean(text: string, max: number): string {
  return storableText(storableText(text).slice(0, max));
}

function stripMeta(doc: object): Record<string, unknown> {
  const { _meta, _rev, _attachments, ...rest } = doc as Record<string, unknown>;
  return { ...rest, _deleted: rest._deleted === true };
}

/** A stable UUID derived from a text: the same event always gets the same id (idempotent notices). */
export function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
