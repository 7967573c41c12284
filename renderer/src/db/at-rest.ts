import {
  META_INSTANCE_SCHEMA_TITLE,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstance,
  wrapRxStorageInstance,
} from 'rxdb';

/**
 * Protection of the sensitive local data at rest (desktop workstation): the fields below are kept
 * in IndexedDB as one AES-GCM ciphertext per document, `_protected`, under a key per user that the
 * desktop keeps with the system's keychain (electron/main/data-keys.ts). Everything else (status,
 * dates, organisation, titles) stays clear so that the replica's indexes and queries keep working.
 *
 * Why not RxDB's `encryption-crypto-js` plugin: it encrypts field by field with crypto-js in
 * JavaScript (AES-CBC without integrity, a key derived by one MD5 from a password); WebCrypto's
 * AES-GCM is native, authenticated, and one call per document covers all of its protected fields.
 *
 * The ciphertext is bound to its collection and document (additional data `collection:id`): a
 * value moved to another document does not decrypt. The replication's own records (the state the
 * workstation last saw on the server, a copy of each document) are protected the same way.
 *
 * Protected fields cannot be queried in storage (their clear value is not there): a query that names
 * one fails loudly instead of finding nothing.
 */
export const PROTECTED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // Applicants' identity and contact data, their messages and files, the recruiters' reasons.
  application: [
    'applicant',
    'cv',
    'cvFile',
    'letterFile',
    'message',
    'videoUrl',
    'refusalReason',
    'refusalMessage',
    'withdrawalReason',
  ],
  // Recruiters' notes on a person.
  evaluation: ['notes'],
  // A CV's identity and contact data, its file and the file's text.
  cv: ['firstName', 'lastName', 'email', 'phone', 'file', 'fileText'],
  message: ['body', 'attachments'],
  conversation: ['subject', 'candidateName', 'lastMessagePreview'],
  // The offer's internal contact (never shown to candidates).
  offer: ['contactName', 'contactPhone', 'contactEmail'],
};

export const PROTECTED_PROPERTY = '_protected';

/** A user's data key (WebCrypto, not extractable). */
export type AtRestKey = CryptoKey;

export async function importAtRestKey(base64: string): Promise<AtRestKey> {
  const raw = fromBase64(base64);
  if (raw.length !== 32) throw new Error('Clé des données locales mal formée.');
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const IV_BYTES = 12;

export async function sealBytes(
  key: AtRestKey,
  context: string,
  clear: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
    key,
    clear,
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv, 0);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return out;
}

export async function openBytes(
  key: AtRestKey,
  context: string,
  sealed: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const clear = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: sealed.subarray(0, IV_BYTES), additionalData: encoder.encode(context) },
    key,
    sealed.subarray(IV_BYTES),
  );
  return new Uint8Array(clear);
}

type Doc = Record<string, unknown>;

/** The document with its protected fields replaced by one ciphertext (a copy; the input is untouched). */
export async function protectDocument(
  key: AtRestKey,
  collection: string,
  fields: readonly string[],
  doc: Doc,
): Promise<Doc> {
  const secret: Doc = {};
  let any = false;
  const out: Doc = {};
  for (const [name, value] of Object.entries(doc)) {
    if (fields.includes(name) && value !== undefined) {
      secret[name] = value;
      any = true;
    } else if (name !== PROTECTED_PROPERTY) out[name] = value;
  }
  if (!any) return out;
  const sealed = await sealBytes(
    key,
    `${collection}:${String(doc.id)}`,
    encoder.encode(JSON.stringify(secret)),
  );
  out[PROTECTED_PROPERTY] = toBase64(sealed);
  return out;
}

/** The document as written: its protected fields back in clear. A document stored before protection passes as is. */
export async function revealDocument(key: AtRestKey, collection: string, doc: Doc): Promise<Doc> {
  const sealed = doc[PROTECTED_PROPERTY];
  if (typeof sealed !== 'string') return doc;
  const clear = await openBytes(key, `${collection}:${String(doc.id)}`, fromBase64(sealed));
  const { [PROTECTED_PROPERTY]: _sealed, ...rest } = doc;
  return { ...rest, ...(JSON.parse(decoder.decode(clear)) as Doc) };
}

/** The names of a schema's own properties, as a signature (RxDB's `_` fields left out). */
function propertySignature(properties: object | undefined): string {
  return Object.keys(properties ?? {})
    .filter((k) => !k.startsWith('_'))
    .sort()
    .join(',');
}

/**
 * Wraps a storage so that the instances of the collections in `PROTECTED_FIELDS` (and the
 * replication records of those collections) keep their protected fields encrypted with `key`.
 * `schemas`: the workstation's collection schemas, to recognise a replication record's collection.
 */
export function protectAtRest<Internals, Options>(
  storage: RxStorage<Internals, Options>,
  key: AtRestKey,
  schemas: readonly RxJsonSchema<unknown>[],
): RxStorage<Internals, Options> {
  const bySignature = new Map<string, string>();
  for (const schema of schemas) {
    if (schema.title && PROTECTED_FIELDS[schema.title])
      bySignature.set(propertySignature(schema.properties), schema.title);
  }
  return {
    ...storage,
    async createStorageInstance(params) {
      const instance = await storage.createStorageInstance(params);
      const schema = params.schema as RxJsonSchema<unknown>;
      const title = schema.title ?? '';
      if (title === META_INSTANCE_SCHEMA_TITLE) {
        const docData = (schema.properties as Record<string, { properties?: object }>).docData;
        const parent = bySignature.get(propertySignature(docData?.properties));
        if (!parent) return instance;
        return protectedMetaInstance(instance, key, parent, PROTECTED_FIELDS[parent] ?? []);
      }
      const fields = PROTECTED_FIELDS[title];
      if (!fields) return instance;
      return protectedInstance(instance, key, title, fields);
    },
  };
}

/** Top-level names a query's selector or sort uses. */
function queriedFields(query: { selector?: object; sort?: object[] }): string[] {
  const names = new Set<string>();
  const walk = (selector: unknown) => {
    if (!selector || typeof selector !== 'object') return;
    if (Array.isArray(selector)) {
      for (const s of selector) walk(s);
      return;
    }
    for (const [k, v] of Object.entries(selector)) {
      if (k.startsWith('$')) walk(v);
      else names.add(k.split('.')[0] ?? k);
    }
  };
  walk(query.selector);
  for (const s of query.sort ?? []) for (const k of Object.keys(s)) names.add(k.split('.')[0] ?? k);
  return [...names];
}

function refuseProtectedQueries<D, I, O>(
  wrapped: RxStorageInstance<D, I, O>,
  collection: string,
  fields: readonly string[],
): RxStorageInstance<D, I, O> {
  const check = (prepared: { query: { selector?: object; sort?: object[] } }) => {
    const named = queriedFields(prepared.query).filter((f) => fields.includes(f));
    if (named.length > 0)
      throw new Error(
        `Requête sur un champ chiffré sur ce poste (${collection}.${named.join(', ')}) : filtrez après lecture.`,
      );
  };
  const query = wrapped.query.bind(wrapped);
  const count = wrapped.count.bind(wrapped);
  wrapped.query = (prepared) => {
    check(prepared as never);
    return query(prepared);
  };
  wrapped.count = (prepared) => {
    check(prepared as never);
    return count(prepared);
  };
  return wrapped;
}

function protectedInstance<D, I, O>(
  instance: RxStorageInstance<D, I, O>,
  key: AtRestKey,
  collection: string,
  fields: readonly string[],
): RxStorageInstance<D, I, O> {
  const wrapped = wrapRxStorageInstance(
    instance.schema,
    instance as never,
    ((doc: Doc) => protectDocument(key, collection, fields, doc)) as never,
    ((doc: Doc) => revealDocument(key, collection, doc)) as never,
  ) as unknown as RxStorageInstance<D, I, O>;
  return refuseProtectedQueries(wrapped, collection, fields);
}

/** A replication record keeps a copy of the document (`docData`): protected like the document. */
function protectedMetaInstance<D, I, O>(
  instance: RxStorageInstance<D, I, O>,
  key: AtRestKey,
  collection: string,
  fields: readonly string[],
): RxStorageInstance<D, I, O> {
  const mapDocData = async (doc: Doc, map: (d: Doc) => Promise<Doc>): Promise<Doc> => {
    const data = doc.docData;
    if (!data || typeof data !== 'object') return doc;
    return { ...doc, docData: await map(data as Doc) };
  };
  return wrapRxStorageInstance(
    instance.schema,
    instance as never,
    ((doc: Doc) => mapDocData(doc, (d) => protectDocument(key, collection, fields, d))) as never,
    ((doc: Doc) => mapDocData(doc, (d) => revealDocument(key, collection, d))) as never,
  ) as unknown as RxStorageInstance<D, I, O>;
}

/** Base64 of bytes (the browser's own when it has it). */
export function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const native = (Uint8Array as unknown as { fromBase64?: (t: string) => Uint8Array<ArrayBuffer> })
    .fromBase64;
  if (typeof native === 'function') return native(text);
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
