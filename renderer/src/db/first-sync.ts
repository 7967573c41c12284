import { getChangedDocumentsSince, type RxCollection } from 'rxdb';
import type { PullResponse, SyncCheckpoint } from '../../../shared/sync/protocol';

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

  let last: ForkPosition | null = null;
  let done = false;
  const changedHere = new Set<string>();
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
    if (bulk.context === RESENT_CONTEXT) return;
    for (const ev of bulk.events) {
      if (!done) changedHere.add(ev.documentId);
      else void resend(ev.documentId).catch(() => undefined);
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
      const rows = current.documents.map((doc) => ({
        document: { ...doc, _deleted: doc._deleted === true, _attachments: {} } as never,
      }));
      const result = await instance.bulkWrite(rows, FIRST_SYNC_CONTEXT);
      // A document created here meanwhile under the same id (409) stays as it is; anything else
      // ends the first sync before this page, which the replication pulls again.
      if (result.error.some((e) => e.status !== 409)) {
        if (full) page.catch(() => undefined);
        break;
      }
      documents += rows.length - result.error.length;
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
