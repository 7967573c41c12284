/**
 * The replication protocol between workstations and the sync server (DESIGN §5).
 * Transport-free types; the HTTP routes and the RxDB client both use them.
 */

/**
 * A server-assigned position in commit order: the PostgreSQL transaction id of the
 * write (a 64-bit xid8, as a decimal string) and a global sequence number inside it.
 * Positions are only handed out below the oldest running transaction, so no later
 * commit can ever appear before a checkpoint a client already holds.
 */
export interface SyncCheckpoint {
  txid: string;
  seq: number;
}

export type WithDeleted<T> = T & { _deleted: boolean };

export interface PullResponse<T> {
  documents: WithDeleted<T>[];
  checkpoint: SyncCheckpoint | null;
}

export interface PushRow<T> {
  assumedMasterState?: WithDeleted<T> | null;
  newDocumentState: WithDeleted<T>;
}

/** Answer of a push: the master state of every row that conflicted or was refused. */
export type PushResponse<T> = WithDeleted<T>[];

export interface SyncCollectionInfo {
  name: string;
  version: number;
  schema: unknown;
}

/** What the workstation shows that the server's configuration decides. */
export interface ServerSettings {
  /** Days an offer stays online once published (`OFFER_ONLINE_DAYS`, 60 by default). */
  offerOnlineDays: number;
}

export interface SyncInfoResponse {
  collections: SyncCollectionInfo[];
  /** Absent from servers older than the workstation: it then shows the defaults. */
  settings?: ServerSettings;
}

/** Stream events carry either changes or the literal RESYNC. */
export type StreamEvent<T> = PullResponse<T> | 'RESYNC';

export const MAX_PULL_BATCH = 1000;
export const MAX_PUSH_ROWS = 500;
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Transaction ids are stored as PostgreSQL bigint. */
const MAX_TXID = 9223372036854775807n;

export function isCheckpoint(value: unknown): value is SyncCheckpoint {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.txid === 'string' &&
    /^\d{1,19}$/.test(v.txid) &&
    BigInt(v.txid) <= MAX_TXID &&
    typeof v.seq === 'number' &&
    Number.isSafeInteger(v.seq) &&
    v.seq >= 0
  );
}

export function compareCheckpoints(a: SyncCheckpoint, b: SyncCheckpoint): number {
  const ax = BigInt(a.txid);
  const bx = BigInt(b.txid);
  if (ax !== bx) return ax < bx ? -1 : 1;
  return a.seq - b.seq;
}
