import { describe, expect, it } from 'vitest';
import type { UndoEntry } from './applicants-model';
import { TriageJournal } from './triage-journal';

const entry = (label: string): UndoEntry => ({
  kind: 'evaluation',
  evaluationId: 'e1',
  label,
  inverse: { type: 'note', noteId: label },
});

describe('the triage journal', () => {
  it('an undo pressed while a write is on its way takes back that write', async () => {
    const journal = new TriageJournal();
    const order: string[] = [];
    await journal.record(async () => entry('note'));
    let finishTag: () => void = () => undefined;
    const tag = journal.record(
      () =>
        new Promise<UndoEntry>((resolve) => {
          finishTag = () => {
            order.push('tag écrit');
            resolve(entry('tag'));
          };
        }),
    );
    const undone = journal.undoLast(async (e) => {
      order.push(`annule ${e.label}`);
      return null;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]); // the undo waits for the tag
    finishTag();
    await tag;
    expect((await undone).entry?.label).toBe('tag');
    expect(order).toEqual(['tag écrit', 'annule tag']);
    expect((await journal.undoLast(async () => null)).entry?.label).toBe('note');
    expect((await journal.undoLast(async () => null)).entry).toBeNull();
  });

  it('a failed write neither blocks the next one nor leaves an entry', async () => {
    const journal = new TriageJournal();
    await expect(journal.record(async () => Promise.reject(new Error('plein')))).rejects.toThrow('plein');
    await journal.record(async () => entry('ok'));
    expect((await journal.undoLast(async () => null)).entry?.label).toBe('ok');
  });
});
