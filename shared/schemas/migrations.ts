/**
 * How a replica upgrades documents written with an older schema version (RxDB migration
 * strategies, one per version step). Replicas keep local edits across an upgrade: a step
 * must never drop content.
 */
type Step = (doc: Record<string, unknown>) => Record<string, unknown>;

export const MIGRATION_STRATEGIES: Record<string, Record<number, Step>> = {
  offers: {
    // Version 1 only adds optional fields: a version 0 offer is valid as it is.
    1: (doc) => doc,
  },
  cvs: {
    // Version 1 only adds the optional `origin` (« Rapprochement de conjoints »): a version 0 CV is valid as it is.
    1: (doc) => doc,
  },
};

export function migrationStrategiesFor(collection: string): Record<number, Step> {
  return MIGRATION_STRATEGIES[collection] ?? {};
}
