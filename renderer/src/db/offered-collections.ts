import type { SyncInfoResponse } from '../../../shared/sync/protocol';

/**
 * Which optional collections of this replica the server offers (`GET /api/sync`): listed by name
 * with the very schema version this app has. An older server (without them) or another version
 * leaves them out, and the app keeps replicating the others.
 */
export function offeredOptional<N extends string>(
  info: SyncInfoResponse,
  optional: readonly N[],
  versionOf: (name: N) => number,
): N[] {
  return optional.filter((name) =>
    info.collections.some((c) => c.name === name && c.version === versionOf(name)),
  );
}
