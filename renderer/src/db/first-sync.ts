import { getChangedDocumentsSince, type RxCollection } from 'rxdb';
import type { PullResponse, SyncCheckpoint } from '../../../shared/sync/protocol';
import { isPulled } from './pulled-records';

/**
 * The first sync of a collection into an empty replica, written directly.
 *
 * RxDB's downstream writes each pulled page in several steps (it reads the page's documents and
 * their records, writes the documents, then the records, then its checkpoint), and its upstream
 * then reads every document written to see whether it must be sent: right for a replica with local
 * changes, about twice the cost of inserting the same documents into an empty one. Here the pages
 * are fetched one ahead and each is written in one write, as the replication's downstream would
 * (same context: trusted, not validated again, marked as the server's states by
 * `pulled-records.ts`). RxDB's replication then starts from the positions reached on both sides:
 * nothing left to pull, nothing to read again.
 *
 * Only for a collection that has no document at all, deleted ones included. A failed page ends it:
 * the replication goes on from the last page written.
 *
 * A change made here during the first sync (a capture typed meanwhile) must not fall behind the
 * upstream's starting position: such a document is written once more, unchanged, after it, so the
 * replication sends it like any other change. This holds for a write that was still under way when
 * the first sync ended, as long as `close()` has not been called.
 */

/** RxDB's downstream context prefix: the workstation's storage treats these writes as the server's. */
export const FIRST_SYNC_CONTEXT = 'replication-downstream-first-sync';
const DOWNSTREAM = 'replication-downstream-';
/** The context of a document written again after the first sync (a local change, not the server's). */
export const RESENT_CONTEXT = 'first-sync-resend';

export type ForkPosition = { id: string; lwt: number };

export interface FirstSync {
  /** The server checkpoint after the last page written (the downstream starts there). */
  checkpoint: SyncCheckpoint | null;
  /** The local position after the last document written (the upstream starts there). */
  upstream: ForkPosition | null;
  documents: number;
  /** Stops watching for changes made here before `upstream` (once the replication runs). */
  close(): void;
}

type Stored = Record<string, unknown> & { _meta?: { lwt?: number } };

const after = (a: ForkPosition, b: ForkPosition) => a.lwt > b.lwt || (a.lwt === b.lwt && a.id > b.id);

export async function firstSync(
  collection: RxCollection<Record<string, unknown>>,
  pullPage: (checkpoint: SyncCheckpoint | null) => Promise<PullResponse<Record<string, unknown>>>,
  batchSize: number,
  /** True once the sync is stopping (sign-out, wipe): no page is written after. */
  stopped: () => boolean = () => false,
): Promise<FirstSync | null> {
  const instance = collection.storageInstance;
  const any = await getChangedDocumentsSince(instance as never, 1);
  if (any.documents.length > 0) return null;
  const primaryPath = collection.schema.primaryPath as string;

  let last: ForkPosition | null = null;
  let done = false;
  const changedHere = new Set<string>();
  /** Documents this first sync wrote. */
  const written = new Set<string>();
  const resend = async (id: string) => {
    if (!last) return;
    const [doc] = (await instance.findDocumentsById([id], true)) as Stored[];
    const lwt = doc?._meta?.lwt;
    if (!doc || typeof lwt !== 'number' || after({ id, lwt }, last)) return;
    await instance.bulkWrite([{ previous: doc as never, document: { ...doc } as never }], RESENT_CONTEXT);
  };
  const watch = collection.eventBulks$.subscribe((bulk) => {
    if (bulk.context === FIRST_SYNC_CONTEXT) {
      for (const ev of bulk.events) {
        const lwt = (ev.documentData as Stored)._meta?.lwt ?? 0;
        const position = { id: ev.documentId, lwt };
        if (!last || after(position, last)) last = position;
      }
      return;
    }
    // The replication's own writes are the server's states: nothing to send.
    if (bulk.context === RESENT_CONTEXT || bulk.context.startsWith(DOWNSTREAM)) return;
    for (const ev of bulk.events) {
      if (!done) changedHere.add(ev.documentId);
      else {
        // Only a write stored before the upstream's starting position needs writing again.
        const lwt = (ev.documentData as Stored)._meta?.lwt;
        if (last && typeof lwt === 'number' && !after({ id: ev.documentId, lwt }, last))
          void resend(ev.documentId).catch(() => undefined);
      }
    }
  });

  let reached: SyncCheckpoint | null = null;
  let documents = 0;
  try {
    let page = pullPage(null);
    for (;;) {
      let current: PullResponse<Record<string, unknown>>;
      try {
        current = await page;
      } catch {
        break; // Offline, or refused: the replication takes over and retries.
      }
      if (current.documents.length === 0 || stopped()) break;
      const full = current.documents.length >= batchSize && current.checkpoint;
      // The next page is on its way while this one is written.
      if (full) page = pullPage(current.checkpoint);
      // A document the server changed during the first sync comes again in a later page: the copy
      // written earlier (marked as the server's) is replaced; one changed or deleted here meanwhile
      // is left as it is (the replication sends it, and merges it with the server's state).
      // Only documents already written (by an earlier page, or here) can be there: read those.
      const seen = current.documents
        .map((doc) => String(doc[primaryPath]))
        .filter((id) => written.has(id) || changedHere.has(id));
      const stored = new Map(
        seen.length === 0
          ? []
          : ((await instance.findDocumentsById(seen, true)) as Stored[]).map((d) => [
              String(d[primaryPath]),
              d,
            ]),
      );
      const rows = [];
      for (const doc of current.documents) {
        const before = stored.get(String(doc[primaryPath]));
        if (before && !isPulled(before)) continue;
        rows.push({
          ...(before ? { previous: before as never } : {}),
          document: { ...doc, _deleted: doc._deleted === true, _attachments: {} } as never,
        });
      }
      const result =
        rows.length > 0 ? await instance.bulkWrite(rows, FIRST_SYNC_CONTEXT) : { error: [] as never[] };
      // A document written here between that reading and this write (409) stays as it is; anything
      // else ends the first sync before this page, which the replication pulls again.
      if (result.error.some((e: { status: number }) => e.status !== 409)) {
        if (full) page.catch(() => undefined);
        break;
      }
      documents += rows.length - result.error.length;
      for (const row of rows) written.add(String((row.document as Stored)[primaryPath]));
      reached = current.checkpoint ?? reached;
      if (!full) break;
    }
  } catch (err) {
    watch.unsubscribe();
    throw err;
  }
  done = true;
  await Promise.all([...changedHere].map((id) => resend(id)));
  // Without a page written, the upstream reads everything as usual.
  return {
    checkpoint: reached,
    upstream: reached ? last : null,
    documents,
    close: () => watch.unsubscribe(),
  };
}
