import { addRxPlugin, createRxDatabase, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { applicationSchema, evaluationSchema, offerSchema } from '../../../shared/schemas';
import { memoryFileStore } from '../features/files/file-store';
import { protectFileStore } from '../features/files/protected-file-store';
import {
  importAtRestKey,
  PROTECTED_FIELDS,
  PROTECTED_PROPERTY,
  protectAtRest,
  protectDocument,
  revealDocument,
  toBase64,
} from './at-rest';

addRxPlugin(RxDBMigrationSchemaPlugin);

const newKey = () => importAtRestKey(toBase64(crypto.getRandomValues(new Uint8Array(32))));
const T = '2026-12-05T09:00:00.000Z';
const EMAIL = 'ines.bouchard@exemple.fr';
const PHONE = '06 12 34 56 78';

function application(id: string) {
  return {
    id,
    organisationId: 'org-1',
    offerId: 'offer-1',
    offer: { title: 'Vendeur / Vendeuse', companyName: 'Boulangeries Martin' },
    applicant: { firstName: 'Inès', lastName: 'Bouchard', email: EMAIL, phone: PHONE },
    message: 'Disponible dès lundi, je connais bien la vente en boulangerie.',
    status: 'nouvelle' as const,
    source: 'portail' as const,
    history: [{ at: T, to: 'nouvelle' as const }],
    createdAt: T,
    updatedAt: T,
  };
}

/** Records, as text, every document the wrapped storage is given to write (what reaches the disk). */
function spyStorage<I, O>(inner: RxStorage<I, O>, written: string[]): RxStorage<I, O> {
  return {
    ...inner,
    async createStorageInstance(params) {
      const instance = await inner.createStorageInstance(params);
      const bulkWrite = instance.bulkWrite.bind(instance);
      instance.bulkWrite = (rows, context) => {
        for (const row of rows) written.push(JSON.stringify(row.document));
        return bulkWrite(rows, context);
      };
      return instance;
    },
  };
}

const open: RxDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.remove();
});

describe('protectDocument / revealDocument', () => {
  it('puts the protected fields in one ciphertext and gives them back; other fields stay clear', async () => {
    const key = await newKey();
    const doc = application('a1');
    const sealed = await protectDocument(key, 'application', PROTECTED_FIELDS.application!, doc);
    expect(sealed.status).toBe('nouvelle');
    expect(sealed.offer).toEqual(doc.offer);
    expect(sealed.applicant).toBeUndefined();
    expect(sealed.message).toBeUndefined();
    expect(typeof sealed[PROTECTED_PROPERTY]).toBe('string');
    expect(JSON.stringify(sealed)).not.toContain('Bouchard');
    expect(await revealDocument(key, 'application', sealed)).toEqual(doc);
    // The same document sealed twice gives two ciphertexts (a fresh IV each time).
    const again = await protectDocument(key, 'application', PROTECTED_FIELDS.application!, doc);
    expect(again[PROTECTED_PROPERTY]).not.toBe(sealed[PROTECTED_PROPERTY]);
  });

  it('refuses a ciphertext moved to another document, altered, or read with another key', async () => {
    const key = await newKey();
    const sealed = await protectDocument(
      key,
      'application',
      PROTECTED_FIELDS.application!,
      application('a1'),
    );
    await expect(revealDocument(key, 'application', { ...sealed, id: 'a2' })).rejects.toThrow();
    await expect(revealDocument(key, 'cv', sealed)).rejects.toThrow();
    const text = String(sealed[PROTECTED_PROPERTY]);
    const altered = `${text.slice(0, 20)}${text[20] === 'A' ? 'B' : 'A'}${text.slice(21)}`;
    await expect(
      revealDocument(key, 'application', { ...sealed, [PROTECTED_PROPERTY]: altered }),
    ).rejects.toThrow();
    await expect(revealDocument(await newKey(), 'application', sealed)).rejects.toThrow();
  });

  it('leaves a document without protected values as it is, and reads one stored before protection', async () => {
    const key = await newKey();
    const doc = { id: 'e1', organisationId: 'o', rating: 4 };
    expect(await protectDocument(key, 'evaluation', ['notes'], doc)).toEqual(doc);
    expect(await revealDocument(key, 'evaluation', { ...doc, notes: [] })).toEqual({ ...doc, notes: [] });
  });
});

describe('protectAtRest', () => {
  async function database(written: string[], key: CryptoKey) {
    const schemas = [applicationSchema, evaluationSchema, offerSchema];
    const db = await createRxDatabase({
      name: `atrest${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      storage: protectAtRest(spyStorage(getRxStorageMemory(), written), key, schemas as never),
    });
    open.push(db);
    await db.addCollections({ applications: { schema: applicationSchema } });
    return db;
  }

  it('writes applicants’ contact data encrypted, reads it back in clear, and queries the clear fields', async () => {
    const written: string[] = [];
    const db = await database(written, await newKey());
    await db.applications.insert(application('a1'));
    await (await db.applications.findOne('a1').exec())?.incrementalPatch({ status: 'a_l_etude' });
    const found = await db.applications.find({ selector: { status: 'a_l_etude' } }).exec();
    expect(found.map((d) => d.applicant?.email)).toEqual([EMAIL]);
    expect(written.length).toBeGreaterThanOrEqual(2);
    for (const text of written) {
      expect(text).not.toContain(EMAIL);
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain('boulangerie.');
    }
  });

  it('fails loudly on a query that names a protected field (it would find nothing in storage)', async () => {
    const db = await database([], await newKey());
    await db.applications.insert(application('a1'));
    await expect(
      db.applications.find({ selector: { 'applicant.email': EMAIL } as never }).exec(),
    ).rejects.toThrow(/champ chiffré sur ce poste \(application\.applicant\)/);
    await expect(db.applications.find({ sort: [{ message: 'asc' }] as never }).exec()).rejects.toThrow(
      /champ chiffré/,
    );
  });

  it('protects the replication’s copy of each pulled document too', async () => {
    const written: string[] = [];
    const db = await database(written, await newKey());
    let served = false;
    const replication = replicateRxCollection({
      collection: db.applications,
      replicationIdentifier: 'test-at-rest',
      live: false,
      pull: {
        handler: async () => {
          if (served) return { documents: [], checkpoint: { n: 1 } };
          served = true;
          return { documents: [{ ...application('p1'), _deleted: false }], checkpoint: { n: 1 } };
        },
      },
      push: { handler: async () => [] },
    });
    await replication.awaitInitialReplication();
    await replication.cancel();
    expect((await db.applications.findOne('p1').exec())?.applicant?.phone).toBe(PHONE);
    // The pulled document and its replication record (the assumed server state) were written…
    expect(written.filter((t) => t.includes('"p1"')).length).toBeGreaterThanOrEqual(2);
    // …neither in clear.
    for (const text of written) expect(text).not.toContain(PHONE);
  });
});

describe('protectFileStore', () => {
  it('keeps a file encrypted and gives its bytes back; without the key, the file counts as not kept', async () => {
    const key = await newKey();
    const inner = memoryFileStore();
    const clear = new TextEncoder().encode('%PDF-1.7 CV de Inès Bouchard');
    const store = protectFileStore(inner, async () => key);
    const file = {
      sha256: 'a'.repeat(64),
      blob: new Blob([clear]),
      mime: 'application/pdf',
      size: clear.length,
      storedAt: 1,
    };
    await store.putFile(file);
    const raw = await inner.getFile(file.sha256);
    expect(raw?.sealed).toBe(true);
    expect(new TextDecoder().decode(await raw!.blob.arrayBuffer())).not.toContain('Bouchard');
    const back = await store.getFile(file.sha256);
    expect(back?.mime).toBe('application/pdf');
    expect(back?.sealed).toBeUndefined();
    expect(new Uint8Array(await back!.blob.arrayBuffer())).toEqual(clear);
    expect(await protectFileStore(inner, async () => null).getFile(file.sha256)).toBeNull();
    expect(await protectFileStore(inner, async () => await newKey()).getFile(file.sha256)).toBeNull();
  });

  it('passes everything through in the web workstation (no key)', async () => {
    const inner = memoryFileStore();
    const store = protectFileStore(inner, async () => null);
    const file = { sha256: 'b'.repeat(64), blob: new Blob(['x']), mime: 'text/plain', size: 1, storedAt: 1 };
    await store.putFile(file);
    expect(await inner.getFile(file.sha256)).toEqual(file);
  });
});
