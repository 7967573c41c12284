import type { SortingState } from '@tanstack/react-table';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import type { CvSearchFormValues } from './cvtheque-model';
import type { SearchOutcome } from './search-runner';

/**
 * What the CVthèque screen shows, kept in memory while the session lasts: going to a CV's detail
 * and coming back finds the same criteria, results, sorting and selection. CVs seen in the
 * server's results are remembered too, so that their detail opens even when the replica does not
 * hold them.
 */

export interface CvthequeMemory {
  form: CvSearchFormValues;
  outcome: SearchOutcome | null;
  sorting: SortingState;
  currentId: string | null;
  checked: string[];
}

const screens = new Map<string, CvthequeMemory>();
const seen = new Map<string, CvDoc>();
const SEEN_MAX = 1000;

export function loadMemory(key: string): CvthequeMemory | null {
  return screens.get(key) ?? null;
}

export function saveMemory(key: string, memory: CvthequeMemory): void {
  screens.set(key, memory);
}

export function rememberCvs(docs: Iterable<CvDoc>): void {
  for (const d of docs) {
    seen.delete(d.id);
    seen.set(d.id, d);
  }
  while (seen.size > SEEN_MAX) {
    const first = seen.keys().next().value;
    if (first === undefined) break;
    seen.delete(first);
  }
}

export function rememberedCv(id: string): CvDoc | null {
  return seen.get(id) ?? null;
}

/** Forgets everything (sign-out). */
export function clearCvthequeMemory(): void {
  screens.clear();
  seen.clear();
}
