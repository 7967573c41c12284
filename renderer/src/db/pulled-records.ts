import { type BulkWriteRow, META_INSTANCE_SCHEMA_TITLE, type RxStorage, type RxStorageInstance } from 'rxdb';
import { stripLocal } from './local-keys';

/**
 * The replication's record of a pulled document, kept by the document itself until it is needed.
 *
 * RxDB's replication keeps, for every document, a record of the state the workstation last saw on
 * the server (its meta instance: `docData`, the « assumed master state » sent with each push). For a
 * document written as the server sent it, that record is a second copy of the document, written in
 * a second transaction: in a first sync, about 40 % of the time (10,000 offers in Chromium: 6.4 s,
 * 3.8 s without the records).
 *
 * Here a pulled document carries a mark instead (`_meta.pulled`, the revision the replication wrote)
 * and its record is not written: as long as the document is unchanged, its record is the document.
 * When a change made here replaces a marked document, the state it replaces (the server's) is kept
 * in the new version (`_meta.master`) until the replication writes a record of its own (when the
 * change is pushed). A record is read as RxDB wrote it when there is one, else made from the marked
 * document, else from the kept state: what RxDB reads is what it would have written.
 *
 * It wraps the storage under the at-rest protection (`at-rest.ts`): what it copies is what is stored.
 *
 * The mark says « the server's state », not which replication wrote it: the workstation has one
 * replication per collection and version, and its database belongs to one account of one server
 * (the same server reached at another address keeps its documents as synced, where RxDB would send
 * them all again).
 */

/** RxDB's bulk-write contexts: the downstream's writes of server states, and its records of them. */
const DOWNSTREAM = 'replication-downstream-';
const DOWNSTREAM_RECORDS = 'replication-down-write-meta';
/** Revision marker of a record made from a document (never a revision RxDB writes). */
const MADE_REVISION = '1-fromdocument';

type Doc = Record<string, unknown> & { _meta?: Record<string, unknown>; _rev?: string };
type AnyInstance = RxStorageInstance<Doc, unknown, unknown>;

interface Fork {
  instance: AnyInstance;
  collectionName: string;
  /** Documents the downstream has just written, whose record it is about to write. */
  justPulled: Set<string>;
}

/** The replicated state of a stored document (RxDB's bookkeeping left out), as a record keeps it. */
export function replicatedState(doc: Doc): Doc {
  return { ...stripLocal(doc), _deleted: doc._deleted === true };
}

/** True when the stored document is the server's state as the replication wrote it. */
export function isPulled(doc: Doc | undefined): boolean {
  return !!doc && typeof doc._rev === 'string' && doc._meta?.pulled === doc._rev;
}

function signature(properties: object | undefined): string {
  return Object.keys(properties ?? {})
    .filter((k) => !k.startsWith('_'))
    .sort()
    .join(',');
}

/** The record RxDB would have: from a marked document, or from the server state a change kept. */
function recordFrom(doc: Doc | undefined, id: string, itemId: string): Doc | null {
  if (!doc) return null;
  let docData: Doc | null = null;
  if (isPulled(doc)) docData = replicatedState(doc);
  else if (doc._meta?.master && typeof doc._meta.master === 'object') docData = doc._meta.master as Doc;
  if (!docData) return null;
  return {
    id,
    itemId,
    isCheckpoint: '0',
    docData,
    _deleted: false,
    _attachments: {},
    _rev: MADE_REVISION,
    _meta: { lwt: 1 },
  };
}

export function withPulledRecordsOnDemand<Internals, Options>(
  storage: RxStorage<Internals, Options>,
): RxStorage<Internals, Options> {
  /**
   * Per database, its open collections by the signature of their properties and their schema version
   * (a replication's records carry both). Two collections alike in both cannot be told apart: their
   * records are written as RxDB writes them.
   */
  const forks = new Map<string, Map<string, Fork | 'ambiguous'>>();

  const forkOf = (databaseName: string, key: string): Fork | null => {
    const fork = forks.get(databaseName)?.get(key);
    return fork && fork !== 'ambiguous' ? fork : null;
  };

  return {
    ...storage,
    async createStorageInstance(params) {
      const instance = (await storage.createStorageInstance(params)) as unknown as AnyInstance;
      const schema = params.schema as {
        title?: string;
        version?: number;
        properties?: Record<string, unknown>;
      };
      if (schema.title === META_INSTANCE_SCHEMA_TITLE) {
        const docData = schema.properties?.docData as { properties?: object } | undefined;
        const fork = forkOf(params.databaseName, `${signature(docData?.properties)}@${schema.version}`);
        if (fork) records(instance, fork);
      } else if (schema.properties && !schema.title?.startsWith('Rx')) {
        const fork: Fork = { instance, collectionName: params.collectionName, justPulled: new Set() };
        const byDatabase = forks.get(params.databaseName) ?? new Map<string, Fork | 'ambiguous'>();
        forks.set(params.databaseName, byDatabase);
        const key = `${signature(schema.properties)}@${schema.version}`;
        const existing = byDatabase.get(key);
        byDatabase.set(
          key,
          existing && (existing === 'ambiguous' || existing.collectionName !== fork.collectionName)
            ? 'ambiguous'
            : fork,
        );
        documents(instance, fork);
        const forget = () => {
          if (byDatabase.get(key) === fork) byDatabase.delete(key);
        };
        const close = instance.close.bind(instance);
        const remove = instance.remove.bind(instance);
        instance.close = () => {
          forget();
          return close();
        };
        instance.remove = () => {
          forget();
          return remove();
        };
      }
      return instance as never;
    },
  };
}

/** The collection's own writes: pulled documents marked, the server state kept on a first change. */
function documents(instance: AnyInstance, fork: Fork): void {
  const bulkWrite = instance.bulkWrite.bind(instance);
  const primaryPath = instance.schema.primaryKey as string;
  const idOf = (doc: Doc) => String(doc[primaryPath]);
  instance.bulkWrite = async (rows, context) => {
    if (context.startsWith(DOWNSTREAM)) {
      const marked = rows.map((row) => {
        const { master: _stale, ...meta } = row.document._meta ?? {};
        return {
          ...row,
          document: { ...row.document, _meta: { ...meta, pulled: row.document._rev } },
        } as BulkWriteRow<Doc>;
      });
      // Only this write's documents: the records RxDB writes next are theirs.
      fork.justPulled.clear();
      const result = await bulkWrite(marked, context);
      const failed = new Set(result.error.map((e) => e.documentId));
      for (const row of marked) {
        const id = idOf(row.document);
        if (!failed.has(id)) fork.justPulled.add(id);
      }
      return result;
    }
    // A write made here: the server state a marked document held is kept with the new version.
    // What is stored decides (RxDB's `previous` comes from its cache, without these marks).
    const stored = new Map<string, Doc>();
    for (const doc of await instance.findDocumentsById(
      rows.map((row) => idOf(row.document)),
      true,
    ))
      stored.set(idOf(doc), doc);
    const kept = rows.map((row) => {
      const before = stored.get(idOf(row.document));
      const { pulled: _p, master: _m, ...meta } = row.document._meta ?? {};
      let master: unknown;
      if (before && isPulled(before)) master = replicatedState(before);
      else if (before?._meta?.master) master = before._meta.master;
      return {
        ...row,
        document: { ...row.document, _meta: master === undefined ? meta : { ...meta, master } },
      } as unknown as BulkWriteRow<Doc>;
    });
    return bulkWrite(kept, context);
  };
}

/** The replication's records: those of pulled documents made from them when read. */
function records(instance: AnyInstance, fork: Fork): void {
  const bulkWrite = instance.bulkWrite.bind(instance);
  const findDocumentsById = instance.findDocumentsById.bind(instance);
  instance.bulkWrite = async (rows, context) => {
    const written: BulkWriteRow<Doc>[] = [];
    for (const row of rows) {
      const doc = row.document;
      const made = row.previous?._rev === MADE_REVISION;
      const itemId = String(doc.itemId);
      if (
        context === DOWNSTREAM_RECORDS &&
        doc.isCheckpoint === '0' &&
        !doc.isResolvedConflict &&
        (!row.previous || made) &&
        fork.justPulled.delete(itemId)
      )
        continue; // The document just written is its own record.
      // A record made from a document was never stored: RxDB's first own record of it is new.
      written.push(made ? { document: doc } : row);
    }
    if (written.length === 0) return { error: [] };
    return bulkWrite(written, context);
  };
  instance.findDocumentsById = async (ids, withDeleted) => {
    const found = await findDocumentsById(ids, withDeleted);
    if (found.length === ids.length) return found;
    const have = new Set(found.map((d) => String(d.id)));
    const missing = ids.filter((id) => !have.has(id) && id.endsWith('|0'));
    if (missing.length === 0) return found;
    const itemIds = missing.map((id) => id.slice(0, -2));
    const primaryPath = fork.instance.schema.primaryKey as string;
    const docs = new Map(
      (await fork.instance.findDocumentsById(itemIds, true)).map((d) => [String(d[primaryPath]), d]),
    );
    const made: Doc[] = [];
    for (const [i, id] of missing.entries()) {
      const record = recordFrom(docs.get(itemIds[i]!), id, itemIds[i]!);
      if (record) made.push(record);
    }
    return made.length === 0 ? found : [...found, ...(made as typeof found)];
  };
}
