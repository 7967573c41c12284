import type { RxJsonSchema } from 'rxdb';
import { deepEqual } from '../db/conflict';

/**
 * A sync server in memory for replication tests in Node: notes with a title and a number, pulled by
 * position, pushed with compare-and-write (a row whose assumed state is not the server's is answered
 * with the server's state, as the real server does).
 */
export interface Note {
  id: string;
  title: string;
  n: number;
}
export type Stored = Note & { _deleted: boolean };

export const noteSchema: RxJsonSchema<Note> = {
  title: 'note',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    title: { type: 'string' },
    n: { type: 'number' },
  },
  required: ['id', 'title', 'n'],
};

/** A server in memory: compare-and-write on push (conflicts answered with the master state). */
export class Master {
  readonly docs = new Map<string, { doc: Stored; seq: number }>();
  /** What each push carried: the state the workstation assumed, and its new state. */
  readonly pushed: { assumed: Stored | null; doc: Stored }[] = [];
  private seq = 0;
  write(doc: Stored) {
    this.docs.set(doc.id, { doc, seq: ++this.seq });
  }
  pull(after: number, limit: number) {
    const rows = [...this.docs.values()]
      .filter((r) => r.seq > after)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
    return { documents: rows.map((r) => r.doc), checkpoint: { seq: rows.at(-1)?.seq ?? after } };
  }
  push(rows: { assumedMasterState?: Stored; newDocumentState: Stored }[]): Stored[] {
    const conflicts: Stored[] = [];
    for (const row of rows) {
      const assumed = row.assumedMasterState ? plain(row.assumedMasterState) : null;
      const doc = plain(row.newDocumentState);
      this.pushed.push({ assumed, doc });
      const current = this.docs.get(doc.id)?.doc ?? null;
      if (current ? !assumed || !deepEqual(assumed, current) : assumed && !assumed._deleted) {
        if (current) conflicts.push(current);
        continue;
      }
      this.write(doc);
    }
    return conflicts;
  }
}

/** A note's replicated state, RxDB's bookkeeping left out. */
export const plain = (d: Stored): Stored => ({
  id: d.id,
  title: d.title,
  n: d.n,
  _deleted: d._deleted === true,
});
