import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { blankOffer, offerSchema } from '../../../shared/schemas/offer.schema';
import { compiledValidator, validateLocalWrites } from './validate-storage';

const valid = {
  ...blankOffer('11111111-1111-4111-8111-111111111111', 'org', 'brouillon', '2026-11-22T00:00:00.000Z'),
  title: 'Boulanger H/F',
};

// Offers are at schema version 1: RxDB needs the migration plugin to open them.
addRxPlugin(RxDBMigrationSchemaPlugin);

describe('validateLocalWrites', () => {
  let db: RxDatabase | null = null;
  afterEach(async () => {
    await db?.remove();
    db = null;
  });

  async function open(name: string) {
    db = await createRxDatabase({
      name,
      storage: validateLocalWrites(getRxStorageMemory(), ['offer']),
    });
    await db.addCollections({ offers: { schema: offerSchema } });
    return db.collections.offers!;
  }

  it('refuses an invalid document written on this device', async () => {
    const offers = await open('validate_local_1');
    await expect(offers.insert({ ...valid, status: 'inconnu' })).rejects.toThrow();
    await expect(offers.insert({ ...valid, surprise: 1 })).rejects.toThrow();
    await offers.insert(valid);
    expect((await offers.findOne(valid.id).exec())?.title).toBe('Boulanger H/F');
  });

  it('does not re-validate what replication brings from the server', async () => {
    const offers = await open('validate_local_2');
    const instance = offers.storageInstance;
    const doc = {
      ...valid,
      id: '22222222-2222-4222-8222-222222222222',
      _deleted: false,
      _attachments: {},
      _rev: '1-a',
      _meta: { lwt: Date.now() },
    };
    const local = await instance.bulkWrite(
      [{ document: { ...doc, status: 'inconnu' } }],
      'rx-collection-bulk-insert',
    );
    expect(local.error).toHaveLength(1);
    expect(local.error[0]!.status).toBe(422);
    // The same document from the server is not checked again (the server already did).
    const pulled = await instance.bulkWrite(
      [{ document: { ...doc, status: 'inconnu' } }],
      'replication-downstream-abc',
    );
    expect(pulled.error).toEqual([]);
  });
});

describe('compiledValidator', () => {
  it('compiles once and gives the same verdicts as the schema, with the field at fault', () => {
    const validate = compiledValidator(offerSchema as never);
    const ok = {
      ...blankOffer('0f0f0000-0000-4000-8000-000000000009', 'org', 'brouillon', '2026-01-01T00:00:00.000Z'),
      title: 'Boulanger H/F',
    };
    expect(validate(ok)).toEqual([]);
    const errors = validate({ ...ok, posts: 'trois' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe('#/posts');
    expect(validate({ ...ok, status: 'inconnu' }).length).toBeGreaterThan(0);
    expect(validate({ ...ok, surprise: 1 }).length).toBeGreaterThan(0);
    // Two validators of different schemas do not mix (each is registered under its own id).
    const other = compiledValidator({ ...offerSchema, title: 'autre', required: ['id', 'numero'] } as never);
    expect(other(ok).length).toBeGreaterThan(0);
    expect(validate(ok)).toEqual([]);
  });
});

describe('the replica validates every collection written locally', () => {
  it('includes the messaging collections (issue 7)', async () => {
    const { collectionCreators } = await import('./collections');
    const titles = Object.values(collectionCreators).map((c) => c.schema.title);
    expect(titles).toContain('conversation');
    expect(titles).toContain('message');
    const db = await createRxDatabase({
      name: 'validate_local_messaging',
      storage: validateLocalWrites(getRxStorageMemory(), titles as string[]),
    });
    try {
      await db.addCollections({ messages: { schema: collectionCreators.messages.schema } });
      const messages = db.collections.messages!;
      const ok = {
        id: 'd1d1d1d1-0000-4000-8000-000000000001',
        conversationId: 'c1',
        organisationId: 'o1',
        candidateId: 'k1',
        authorKind: 'organisation',
        authorId: 'u1',
        authorName: 'Julie Martin',
        body: 'Bonjour',
        attachments: [],
        via: 'workstation',
        createdAt: '2026-12-01T09:00:00.000Z',
        sentAt: '2026-12-01T09:00:00.000Z',
      };
      await expect(
        messages.insert({ ...ok, id: 'd1d1d1d1-0000-4000-8000-000000000002', via: 'pigeon' }),
      ).rejects.toThrow();
      await messages.insert(ok);
      expect((await messages.findOne(ok.id).exec())?.get('body')).toBe('Bonjour');
    } finally {
      await db.remove();
    }
  });
});
