import type { RxStorage, RxStorageWriteErrorValidation } from 'rxdb';
import { getValidator } from 'rxdb/plugins/validate-z-schema';

/** RxDB's context for writes that come from the server through replication. */
const DOWNSTREAM = 'replication-downstream-';

/**
 * Validates what this device writes against the collection's schema (z-schema: no `eval`,
 * so it runs under the strict CSP), and trusts documents arriving from the sync server,
 * which has already checked them against the very same schema before storing them.
 * RxDB's own bookkeeping instances (replication meta data) are not validated either.
 * Validating every pulled document costs ~2 ms each and dominated the initial sync.
 */
export function validateLocalWrites<Internals, Options>(
  storage: RxStorage<Internals, Options>,
  appSchemaTitles: readonly string[],
): RxStorage<Internals, Options> {
  return {
    ...storage,
    name: `validate-local-${storage.name}`,
    async createStorageInstance(params) {
      const instance = await storage.createStorageInstance(params);
      if (!appSchemaTitles.includes(params.schema.title ?? '')) return instance;
      const primaryPath = params.schema.primaryKey as string;
      let validate: ReturnType<typeof getValidator> | null = null;
      const bulkWrite = instance.bulkWrite.bind(instance);
      instance.bulkWrite = async (writes, context) => {
        if (context.startsWith(DOWNSTREAM)) return bulkWrite(writes, context);
        validate ??= getValidator(params.schema);
        const errors: RxStorageWriteErrorValidation<never>[] = [];
        const valid = writes.filter((row) => {
          const validationErrors = validate!(row.document);
          if (validationErrors.length === 0) return true;
          errors.push({
            status: 422,
            isError: true,
            documentId: String((row.document as Record<string, unknown>)[primaryPath]),
            validationErrors,
            schema: instance.schema,
            writeRow: row as never,
            context,
          } as RxStorageWriteErrorValidation<never>);
          return false;
        });
        const result = valid.length > 0 ? await bulkWrite(valid, context) : { error: [] };
        return { ...result, error: [...result.error, ...errors] } as Awaited<ReturnType<typeof bulkWrite>>;
      };
      return instance;
    },
  };
}
