/**
 * Optional tracing of the storage calls (bench only, `--trace`): wraps the storage instances'
 * methods in place (the replication uses the same instance objects) and sums time per
 * collection / method / context. Off by default: the measured path is then untouched.
 */
import type { RxStorage } from 'rxdb';

export interface Stat {
  calls: number;
  ms: number;
  rows: number;
  max: number;
}

export const traceStats = new Map<string, Stat>();
export const traceState = { enabled: false };

function add(key: string, ms: number, rows: number) {
  let s = traceStats.get(key);
  if (!s) {
    s = { calls: 0, ms: 0, rows: 0, max: 0 };
    traceStats.set(key, s);
  }
  s.calls++;
  s.ms += ms;
  s.rows += rows;
  s.max = Math.max(s.max, ms);
}

export function resetTrace() {
  traceStats.clear();
}

export function traceReport(): Record<string, Stat> {
  const out: Record<string, Stat> = {};
  for (const [k, v] of [...traceStats.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
    out[k] = { ...v, ms: Math.round(v.ms), max: Math.round(v.max) };
  }
  return out;
}

export function record(key: string, ms: number, rows = 0) {
  if (traceState.enabled) add(key, ms, rows);
}

export function traceStorage<I, O>(storage: RxStorage<I, O>): RxStorage<I, O> {
  return {
    ...storage,
    async createStorageInstance(params) {
      const instance = await storage.createStorageInstance(params);
      const label = `${params.schema.title ?? '?'}:${params.collectionName}`;
      const wrap = (method: string, labelOf: (args: unknown[], result: unknown) => [string, number]) => {
        const target = instance as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const original = target[method];
        if (typeof original !== 'function') return;
        const bound = original.bind(instance);
        target[method] = async (...args: unknown[]) => {
          if (!traceState.enabled) return bound(...args);
          const t0 = performance.now();
          const result = await bound(...args);
          const [suffix, rows] = labelOf(args, result);
          add(`${label} ${method}${suffix}`, performance.now() - t0, rows);
          return result;
        };
      };
      wrap('bulkWrite', (args) => [
        ` [${String(args[1]).replace(/-[a-z0-9]{6,}$/, '-…')}]`,
        (args[0] as unknown[]).length,
      ]);
      wrap('findDocumentsById', (_args, r) => ['', (r as unknown[]).length]);
      wrap('query', (args, r) => {
        const plan = (args[0] as { queryPlan: { index: string[]; sortSatisfiedByIndex: boolean } }).queryPlan;
        return [
          ` idx=${plan.index.join('+')} sortByIdx=${plan.sortSatisfiedByIndex}`,
          (r as { documents: unknown[] }).documents.length,
        ];
      });
      wrap('count', () => ['', 0]);
      wrap('getChangedDocumentsSince', (_a, r) => ['', (r as { documents: unknown[] }).documents.length]);
      return instance;
    },
  };
}
