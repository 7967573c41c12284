/**
 * RxDB's local bookkeeping on a stored document: never part of a replicated state, never compared
 * between replicas, never sent as the user's change.
 */
export const LOCAL_ONLY_KEYS: ReadonlySet<string> = new Set(['_meta', '_rev', '_attachments']);

/** The document without RxDB's bookkeeping (a shallow copy). */
export function stripLocal<T>(doc: T): T {
  const { _meta: _m, _rev: _r, _attachments: _a, ...rest } = doc as Record<string, unknown>;
  return rest as T;
}
