import { compareCheckpoints, type SyncCheckpoint } from '../../../shared/sync/protocol';

/** A position in the server's change order; `null` is the beginning. */
export type Position = SyncCheckpoint | null;

/**
 * Server states that RxDB's replication may have left out, and where to pull again from.
 *
 * RxDB does not write a server state that arrives (pull page or live event) while the local document
 * has a change not yet sent: the change must go up first. It still moves its checkpoint past that
 * state, and once the push is acknowledged it takes the sent state as the master. A state the server
 * wrote with or after that push (an offer's number, a message's `sentAt`, a colleague's later edit)
 * would then never reach the replica, which would keep the sent state for good.
 *
 * This book notes, per document, such arrivals, and the position the replica had reached when the
 * document's change was made: anything the server wrote with or after the push is after it. Once the
 * change is sent (or its conflict resolved), the next pull of the collection starts from there. The
 * pull may be asked at any later time (a long offline stretch, a failed request): the position is
 * kept until a pull takes it, so nothing depends on when the network comes back.
 */
export class LateMasters {
  /** Per `collection/id`: the position reached when the document got an unsent change. */
  private readonly since = new Map<string, Position | 'start'>();
  /**
   * `collection/id` of documents whose server state arrived while they had an unsent change, with
   * where the page that brought it started (`undefined`: not known, e.g. a live stream's first event).
   */
  private readonly arrived = new Map<string, Position | undefined>();
  /** Per collection: the last position received (pull page or live event). */
  private readonly reached = new Map<string, Position>();
  /** Per collection: RxDB's checkpoint at its first pull since the replication started. */
  private readonly start = new Map<string, Position>();
  /** Per collection: where the next pull must start at the latest. */
  private readonly rewind = new Map<string, Position>();

  private key(collection: string, id: string): string {
    return `${collection}/${id}`;
  }

  /**
   * RxDB asks for a pull from `checkpoint`: the position to ask the server from. An owed pull stays
   * owed until a pull from early enough is answered (`pulled`): a request that fails is asked again.
   */
  pullFrom(collection: string, checkpoint: Position): Position {
    if (!this.start.has(collection)) this.start.set(collection, checkpoint);
    if (!this.reached.has(collection)) this.reached.set(collection, checkpoint);
    return this.rewind.has(collection)
      ? earlier(this.rewind.get(collection) ?? null, checkpoint)
      : checkpoint;
  }

  /** The server answered a pull from `from`: the pull owed from there (or later) is done. */
  pulled(collection: string, from: Position): void {
    if (!this.rewind.has(collection)) return;
    const owed = this.rewind.get(collection) ?? null;
    const earlyEnough = from === null || (owed !== null && compareCheckpoints(from, owed) <= 0);
    if (earlyEnough) this.rewind.delete(collection);
  }

  /**
   * Documents received up to `checkpoint`, all after `pageStart` when known (a pull's starting point,
   * the previous event of the same live stream); `isPending` says which have an unsent local change.
   */
  received(
    collection: string,
    ids: readonly string[],
    checkpoint: Position | undefined,
    isPending: (id: string) => boolean,
    pageStart?: Position,
  ): void {
    for (const id of ids) {
      if (!isPending(id)) continue;
      const key = this.key(collection, id);
      // Several arrivals: the earliest start covers them all; an unknown one makes it unknown.
      if (!this.arrived.has(key)) this.arrived.set(key, pageStart);
      else {
        const before = this.arrived.get(key);
        this.arrived.set(
          key,
          before === undefined || pageStart === undefined ? undefined : earlier(before, pageStart),
        );
      }
    }
    if (ids.length > 0 && checkpoint) this.reached.set(collection, checkpoint);
  }

  /** The document got a local change not yet sent (it had none). */
  becamePending(collection: string, id: string): void {
    const key = this.key(collection, id);
    if (this.since.has(key)) return;
    this.since.set(key, this.reached.has(collection) ? (this.reached.get(collection) ?? null) : 'start');
  }

  /**
   * The document has no unsent change any more (sent, resolved, or forgotten). True when a state of
   * it arrived meanwhile: the replica must pull again (`pullFrom` then starts early enough).
   */
  settled(collection: string, id: string): boolean {
    const key = this.key(collection, id);
    const since = this.since.get(key);
    this.since.delete(key);
    if (!this.arrived.has(key)) return false;
    const pageStart = this.arrived.get(key);
    this.arrived.delete(key);
    const changedAt = since === undefined || since === 'start' ? (this.start.get(collection) ?? null) : since;
    // A state that matters was written after the change was made, and came in a page that started
    // before it: pulling from the later of the two brings it again (an offline day of edits would
    // otherwise make every settled change pull the whole day again).
    const from = pageStart === undefined ? changedAt : later(changedAt, pageStart);
    this.rewind.set(
      collection,
      this.rewind.has(collection) ? earlier(this.rewind.get(collection) ?? null, from) : from,
    );
    return true;
  }

  /** Whether a pull of the collection is owed (for tests and diagnostics). */
  owes(collection: string): boolean {
    return this.rewind.has(collection);
  }
}

function later(a: Position, b: Position): Position {
  if (a === null) return b;
  if (b === null) return a;
  return compareCheckpoints(a, b) >= 0 ? a : b;
}

function earlier(a: Position, b: Position): Position {
  if (a === null || b === null) return null;
  return compareCheckpoints(a, b) <= 0 ? a : b;
}
