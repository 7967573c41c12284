import { checkSchema } from 'rxdb/plugins/dev-mode';
import { describe, expect, it } from 'vitest';
import { cvSchema } from './cv.schema';

/**
 * The CVthèque collection is replicated by the server but not yet opened by the workstation (it
 * would be a new RxDB collection with its screens): it is not in REPLICATED_SCHEMAS, so its
 * snapshot is checked here until it joins them.
 */
describe('cv schema', () => {
  it('passes RxDB’s schema checks', () => {
    expect(() => checkSchema(cvSchema as never)).not.toThrow();
    expect(cvSchema.version).toBe(1);
  });
});
