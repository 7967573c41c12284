import {
  getPrimaryFieldOfPrimaryKey,
  normalizeMangoQuery,
  prepareQuery,
  RX_META_LWT_MINIMUM,
  type RxStorage,
  type RxStorageInstance,
} from 'rxdb';

type Checkpoint = { id: string; lwt: number };

/**
 * Gives each storage instance a `getChangedDocumentsSince()` that reads exactly `limit` entries of
 * the `[_meta.lwt+primary]` index from the checkpoint on.
 *
 * Without it RxDB (17.6) runs one query `$or: [{lwt > L}, {lwt = L, id > I}]`; the query planner
 * cannot use `id > I` in that `$or`, so the Dexie cursor starts at `[L, −∞]` and reads, then drops,
 * every document of the checkpoint's write batch (all documents of one bulkWrite, e.g. one pulled
 * page, share one `lwt`). Paging through a batch of B documents `limit` at a time then reads
 * ~B²/(2·limit) documents instead of B: the upstream's first pass after a start (which walks every
 * document written since its checkpoint, pulled ones included) got slower with the replica.
 *
 * Here the same read is two index-bounded queries (`lwt = L and id > I`, then `lwt > L`), each
 * satisfied by the index (no matcher, no sort), through the storage's own `query()`.
 */
export function withIndexedChangesSince<Internals, Options>(
  storage: RxStorage<Internals, Options>,
): RxStorage<Internals, Options> {
  return {
    ...storage,
    async createStorageInstance(params) {
      const instance = await storage.createStorageInstance(params);
      if (!instance.getChangedDocumentsSince) {
        instance.getChangedDocumentsSince = (limit, checkpoint) =>
          changedDocumentsSince(instance, limit, checkpoint as Checkpoint | undefined) as never;
      }
      return instance;
    },
  };
}

async function changedDocumentsSince<RxDocType>(
  instance: RxStorageInstance<RxDocType, unknown, unknown>,
  limit: number,
  checkpoint: Checkpoint | undefined,
) {
  const schema = instance.schema;
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  const run = async (selector: Record<string, unknown>, max: number) => {
    const query = normalizeMangoQuery(schema, {
      selector,
      sort: [{ '_meta.lwt': 'asc' }, { [primaryPath]: 'asc' }],
      skip: 0,
      limit: max,
    } as never);
    return (await instance.query(prepareQuery(schema, query as never))).documents;
  };
  let documents = checkpoint
    ? await run({ '_meta.lwt': { $eq: checkpoint.lwt }, [primaryPath]: { $gt: checkpoint.id } }, limit)
    : [];
  if (documents.length < limit) {
    const after = checkpoint
      ? await run({ '_meta.lwt': { $gt: checkpoint.lwt } }, limit - documents.length)
      : await run({ '_meta.lwt': { $gte: RX_META_LWT_MINIMUM } }, limit);
    documents = documents.length === 0 ? after : documents.concat(after);
  }
  const last = documents[documents.length - 1] as
    | (Record<string, unknown> & { _meta: { lwt: number } })
    | undefined;
  return {
    documents,
    checkpoint: last
      ? { id: last[primaryPath] as string, lwt: last._meta.lwt }
      : (checkpoint ?? { id: '', lwt: 0 }),
  };
}
