import type { DeepMutable, DeepReadonly, RxJsonSchema } from 'rxdb';

/**
 * RxDB's `toTypedRxJsonSchema`: the schema itself, typed for `ExtractDocumentTypeFromTypedRxJsonSchema`.
 * Written here so that the schemas do not load RxDB when read as data: the sync server imports them
 * and RxDB took 0.65 s of each of its starts (the test servers, every restart).
 */
// biome-ignore lint/suspicious/noExplicitAny: RxDB's own bound (with `unknown` the document types collapse to never).
export function toTypedRxJsonSchema<T extends DeepReadonly<RxJsonSchema<any>>>(schema: T): DeepMutable<T> {
  return schema as DeepMutable<T>;
}
