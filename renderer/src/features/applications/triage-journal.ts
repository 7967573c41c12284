import { pushUndo, type UndoEntry } from './applicants-model';

/**
 * The triage's writes, one after the other, each recorded for « annuler » as it completes. An undo
 * pressed while a write is still on its way waits for it and takes back that very action (a fast
 * « T, Entrée, U » undoes the tag, not the note before it).
 */
export class TriageJournal {
  private queue: Promise<unknown> = Promise.resolve();
  private stack: UndoEntry[] = [];

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs `write` after the writes before it, and records its undo entry. */
  record<T extends UndoEntry | null>(write: () => Promise<T>): Promise<T> {
    return this.serial(async () => {
      const entry = await write();
      if (entry) this.stack = pushUndo(this.stack, entry);
      return entry;
    });
  }

  /** Takes back the last recorded action, once every earlier write is done. */
  undoLast(
    apply: (entry: UndoEntry) => Promise<string | null>,
  ): Promise<{ entry: UndoEntry | null; problem: string | null }> {
    return this.serial(async () => {
      const entry = this.stack.at(-1) ?? null;
      if (!entry) return { entry: null, problem: null };
      this.stack = this.stack.slice(0, -1);
      return { entry, problem: await apply(entry) };
    });
  }
}
