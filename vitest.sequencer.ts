import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The suites that last minutes (the campaigns, the crash and fault suites) start first, so that the
 * two workers end together: on a clean clone Vitest has no durations yet and orders by file size,
 * which put the fault campaign (a short file) last and the run a minute and a half longer.
 */
const LONG_SUITES = [
  'sync-server/test/fault-campaign.test.ts',
  'sync-server/test/crash-safety.test.ts',
  'sync-server/test/faults.test.ts',
  'sync-server/test/no-skip.test.ts',
  'sync-server/test/load-campaign.test.ts',
  'sync-server/test/organisations.test.ts',
  'sync-server/test/push-pull-race.test.ts',
];

const rank = (spec: TestSpecification) => {
  const i = LONG_SUITES.findIndex((path) => spec.moduleId.endsWith(path));
  return i === -1 ? LONG_SUITES.length : i;
};

export default class LongSuitesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, position) => ({ spec, position }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.position - b.position)
      .map(({ spec }) => spec);
  }
}
