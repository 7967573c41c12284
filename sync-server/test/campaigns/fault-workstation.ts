/**
 * One workstation of the fault campaign (campaigns/faults.ts), in its own process: RxDB's free tier
 * opens at most 13 collections per process and the workstation replicates 12.
 *
 * It is the workstation's own code, not a model of it: the replica is created from the renderer's
 * `collectionCreators` (schemas, migrations, conflict handlers), local writes are checked by the
 * renderer's validator, the renderer's `SyncController` replicates (pull, push, one SSE stream for
 * every collection, pending changes), and the day's work goes through the renderer's own write
 * functions (triage, lists, searches, messages, offers). Only the storage differs: RxDB's memory
 * storage instead of Dexie (IndexedDB does not exist in Node).
 *
 * The network is `fetch`, wrapped here to: add the desktop's bearer token; fail every request while
 * the workstation is « offline » (and cut its live stream); and write down what the server
 * acknowledged: for each push answered 200, the rows it did not send back (written) and the ones
 * it did (conflict or refusal, with the master state).
 *
 * Driven over IPC: `{ id, cmd, ... }` in, `{ id, ok, result | error }` out.
 */
import { randomUUID } from 'node:crypto';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { SessionUser } from '../../../shared/domain/account';
import { type CaptureInput, captureApplications } from '../../../shared/domain/capture';
import type {
  AnyDoc,
  ApplicationDoc,
  ConversationDocLike,
  FaultOp,
  OpResult,
  WorkstationRequest,
} from './fault-types';

// ---------------------------------------------------------------------------------------------
// The renderer's modules, loaded by path: the renderer is its own TypeScript project (browser
// types), so the shapes used here are declared below instead of imported.

type Db = RxDatabase<Record<string, RxCollection<AnyDoc>>>;

interface RendererModules {
  collections: {
    collectionCreators: Record<string, { schema: { title?: string; version: number } }>;
    REPLICA_NAMES: string[];
  };
  replication: {
    SyncController: new (
      db: Db,
      userId: string,
      retryTime?: number,
    ) => {
      start(): void;
      resync(): void;
      stop(): Promise<void>;
      getState(): { pending: number; lastError: string | null };
    };
  };
  validate: { validateLocalWrites: <S>(storage: S, titles: string[]) => S };
  pulledRecords: { withPulledRecordsOnDemand: <S>(storage: S) => S };
  api: { setServerUrl(url: string): void };
  localStore: { saveLastUser(user: SessionUser): void };
  triage: {
    moveApplication(db: Db, user: SessionUser, id: string, to: string): Promise<unknown>;
    rateApplication(db: Db, user: SessionUser, app: ApplicationDoc, rating: number): Promise<unknown>;
    noteApplication(db: Db, user: SessionUser, app: ApplicationDoc, text: string): Promise<unknown>;
    tagApplication(db: Db, user: SessionUser, app: ApplicationDoc, tag: string): Promise<unknown>;
  };
  cvDb: {
    createList(
      db: Db,
      input: { organisationId: string; ownerId: string; name: string; shared?: boolean },
    ): Promise<AnyDoc>;
    addCvsToList(db: Db, listId: string, cvIds: string[], userId: string): Promise<void>;
    removeCvsFromList(db: Db, listId: string, cvIds: string[]): Promise<void>;
    recordRun(db: Db, run: Record<string, unknown>): Promise<AnyDoc | null>;
    starSearch(db: Db, id: string, favourite: boolean): Promise<void>;
  };
  messages: {
    draftDocuments(input: Record<string, unknown>): { message: AnyDoc; conversation?: AnyDoc };
    markConversationRead(db: Db, id: string, accountId: string): Promise<void>;
  };
  offerModel: {
    EMPTY_OFFER_FORM: Record<string, unknown>;
    formToContent(values: Record<string, unknown>): Record<string, unknown>;
    newOfferDoc(id: string, organisationId: string, content: unknown, status: string, now: string): AnyDoc;
  };
}

const RENDERER = '../../../renderer/src';
async function loadRenderer(): Promise<RendererModules> {
  const load = (path: string) => import(`${RENDERER}/${path}`);
  const { MemoryStorage } = (await load('test-support/memory-storage.ts')) as {
    MemoryStorage: new () => unknown;
  };
  (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
  const paths: Record<keyof RendererModules, string> = {
    collections: 'db/collections.ts',
    replication: 'db/replication.ts',
    validate: 'db/validate-storage.ts',
    pulledRecords: 'db/pulled-records.ts',
    api: 'lib/api.ts',
    localStore: 'lib/local-store.ts',
    triage: 'features/applications/triage-db.ts',
    cvDb: 'features/cvtheque/cv-db.ts',
    messages: 'features/messages/messages-db.ts',
    offerModel: 'features/offers/offer-model.ts',
  };
  const entries = await Promise.all(
    Object.entries(paths).map(async ([name, path]) => [name, await load(path)] as const),
  );
  return Object.fromEntries(entries) as unknown as RendererModules;
}

// ---------------------------------------------------------------------------------------------
// What a browser gives the renderer: the network (its localStorage is set as the modules load).

/** What the server acknowledged to this workstation. */
export interface AckRecord {
  collection: string;
  id: string;
  /** The row as pushed (written: the server said nothing back for it). */
  doc: AnyDoc & { _deleted?: boolean };
  assumed: (AnyDoc & { _deleted?: boolean }) | null;
  /** When the push was sent and when its answer came (ms since epoch). */
  sentAt: number;
  ackedAt: number;
}
export interface ConflictRecord {
  collection: string;
  id: string;
  pushed: AnyDoc;
  master: AnyDoc;
  at: number;
}

const net = {
  online: true,
  token: '',
  base: '',
  acks: [] as AckRecord[],
  conflicts: [] as ConflictRecord[],
  inFlight: new Set<AbortController>(),
  requests: 0,
  failures: 0,
};
/**
 * With FAULT_TRACE=1, every version of every document this workstation saw, by id: how it came
 * (pull, stream, push sent, push answered) and a short summary, to explain a divergence.
 */
const TRACE = process.env.FAULT_TRACE === '1';
const trace = new Map<string, string[]>();
function traceDocs(via: string, docs: unknown, t0: number) {
  if (!TRACE || !Array.isArray(docs)) return;
  for (const d of docs as AnyDoc[]) {
    if (!d || typeof d.id !== 'string') continue;
    const summary = ['number', 'title', 'description', 'status', 'sentAt', 'updatedAt', '_deleted']
      .filter((k) => d[k] !== undefined)
      .map((k) => `${k}=${String(d[k]).slice(0, 40)}`)
      .concat(Array.isArray(d.history) ? [`historique=${d.history.length}:${historyEnd(d.history)}`] : [])
      .join(' ');
    const list = trace.get(d.id) ?? [];
    list.push(`${new Date(t0).toISOString().slice(11, 23)} ${via} ${summary}`);
    trace.set(d.id, list);
  }
}

/** The last move of a history, `from>to` (tracing only). */
function historyEnd(history: unknown[]): string {
  const last = history[history.length - 1] as { from?: string; to?: string; by?: string } | undefined;
  return last ? `${last.from ?? ''}>${last.to ?? ''}/${(last.by ?? '').slice(0, 8)}` : '';
}

/** Reads a live stream's events as they pass (tracing only). */
function tapStream(res: Response): Response {
  if (!TRACE || !res.body) return res;
  const decoder = new TextDecoder();
  let buffer = '';
  const tap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of event.split('\n'))
          if (line.startsWith('data:')) {
            try {
              const data = JSON.parse(line.slice(5)) as { documents?: unknown; collection?: string };
              traceDocs(`flux ${data.collection ?? ''}`, data.documents, Date.now());
            } catch {
              // RESYNC or a heartbeat
            }
          }
        end = buffer.indexOf('\n\n');
      }
    },
  });
  return new Response(res.body.pipeThrough(tap), { status: res.status, headers: res.headers });
}

const realFetch = globalThis.fetch.bind(globalThis);
const PUSH = /\/api\/sync\/([A-Za-z]+)\/v\d+\/push$/;

globalThis.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  net.requests++;
  if (!net.online || !url.startsWith(net.base)) {
    net.failures++;
    throw new TypeError('fetch failed (hors ligne)');
  }
  const abort = new AbortController();
  net.inFlight.add(abort);
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${net.token}`);
  const signal = init.signal ? AbortSignal.any([init.signal, abort.signal]) : abort.signal;
  const sentAt = Date.now();
  try {
    const res = await realFetch(url, { ...init, headers, signal });
    const push = PUSH.exec(new URL(url).pathname);
    if (push && res.status === 200 && typeof init.body === 'string') {
      const text = await res.clone().text();
      recordPush(push[1]!, init.body, text, sentAt);
    }
    if (TRACE && /\/pull\?/.test(url) && res.status === 200) {
      const page = JSON.parse(await res.clone().text()) as { documents?: unknown };
      traceDocs(`tirage ${new URL(url).pathname.split('/')[3]}`, page.documents, sentAt);
    }
    // A stream stays registered (cut when going offline); a plain answer is done.
    if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) return tapStream(res);
    net.inFlight.delete(abort);
    return res;
  } catch (err) {
    net.inFlight.delete(abort);
    net.failures++;
    throw err;
  }
}) as typeof fetch;

function recordPush(collection: string, body: string, answer: string, sentAt: number) {
  let rows: { assumedMasterState: AnyDoc | null; newDocumentState: AnyDoc }[];
  let masters: AnyDoc[];
  try {
    rows = JSON.parse(body);
    masters = JSON.parse(answer);
  } catch {
    return;
  }
  const ackedAt = Date.now();
  traceDocs(
    `envoi ${collection}`,
    rows.map((r) => r.newDocumentState),
    sentAt,
  );
  traceDocs(`réponse ${collection}`, masters, ackedAt);
  const answered = new Map(masters.map((m) => [m.id, m]));
  for (const row of rows) {
    const id = row.newDocumentState.id;
    const master = answered.get(id);
    if (master) net.conflicts.push({ collection, id, pushed: row.newDocumentState, master, at: ackedAt });
    else
      net.acks.push({
        collection,
        id,
        doc: row.newDocumentState,
        assumed: row.assumedMasterState,
        sentAt,
        ackedAt,
      });
  }
}

function goOffline() {
  net.online = false;
  for (const a of net.inFlight) a.abort(new Error('hors ligne'));
  net.inFlight.clear();
}

// ---------------------------------------------------------------------------------------------
// The workstation

const LOCAL_ONLY = new Set(['_meta', '_rev', '_attachments', '_deleted']);
function plain(doc: { toJSON(withMeta?: boolean): unknown }): AnyDoc {
  const data = doc.toJSON(true) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!LOCAL_ONLY.has(k) && v !== undefined) out[k] = v;
  return structuredClone(out) as AnyDoc;
}

let r: RendererModules | null = null;
let db: Db | null = null;
let sync: InstanceType<RendererModules['replication']['SyncController']> | null = null;
let user: SessionUser | null = null;
let organisationId = '';
let organisationName = '';
let lastNow = 0;

/** The workstation's clock, strictly increasing (two writes never share a millisecond). */
function now(): Date {
  const t = Math.max(Date.now(), lastNow + 1);
  lastNow = t;
  return new Date(t);
}

function ready() {
  if (!r || !db || !sync || !user) throw new Error('Poste non ouvert : envoyez d’abord « open ».');
  return { r, db, sync, user };
}

async function all(name: string, filter: (d: AnyDoc) => boolean = () => true): Promise<AnyDoc[]> {
  const { db } = ready();
  const docs = await db[name]!.find().exec();
  return docs
    .map((d) => plain(d))
    .filter(filter)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

const pick = <T>(list: T[], n: number): T | undefined =>
  list.length === 0 ? undefined : list[Math.abs(Math.floor(n)) % list.length];

async function run(op: FaultOp): Promise<OpResult> {
  const { r, db, user } = ready();
  const ownOrg = (d: AnyDoc) => d.organisationId === organisationId;
  switch (op.kind) {
    case 'offer-create': {
      const id = randomUUID();
      const content = r.offerModel.formToContent({
        ...r.offerModel.EMPTY_OFFER_FORM,
        title: `Offre ${op.token}`,
        jobTitle: op.jobTitle,
        companyName: organisationName,
        contactPhone: '04 68 00 00 00',
        contractTypes: ['CDI'],
        description: `Créée hors ligne ou non : ${op.token}`,
      });
      const at = now();
      const doc = r.offerModel.newOfferDoc(id, organisationId, content, 'brouillon', at.toISOString());
      await db.offers!.insert(doc);
      const writes = (['title', 'description'] as const).map((field) => ({
        field,
        value: String(doc[field]),
        at: at.getTime(),
      }));
      return { kind: op.kind, applied: true, id, writes };
    }
    case 'offer-edit': {
      const drafts = await all(
        'offers',
        (d) => ownOrg(d) && d.jobTitle === op.jobTitle && d.status === 'brouillon',
      );
      const target = pick(drafts, op.pick);
      if (!target) return { kind: op.kind, applied: false, reason: 'aucun brouillon' };
      const doc = await db.offers!.findOne(target.id).exec();
      const value = op.field === 'title' ? `Offre ${op.token}` : `Description ${op.token}`;
      const at = now();
      await doc!.incrementalModify((d) => ({ ...d, [op.field]: value, updatedAt: at.toISOString() }));
      return {
        kind: op.kind,
        applied: true,
        id: target.id,
        field: op.field,
        value,
        writes: [{ field: op.field, value, at: at.getTime() }],
      };
    }
    case 'capture': {
      const offers = await all('offers', (d) => ownOrg(d) && d.status === 'publiee');
      const offer = pick(offers, op.pick);
      if (!offer) return { kind: op.kind, applied: false, reason: 'aucune offre publiée' };
      const input: CaptureInput = {
        firstName: 'Salon',
        lastName: op.token,
        email: `${op.token.toLowerCase()}@salon.demo.test`,
        phone: '',
        jobSought: String(offer.title ?? ''),
        offerIds: [offer.id],
        rating: null,
        note: '',
        consent: true,
      };
      const docs = captureApplications(input, {
        organisationId,
        capturedBy: user.id,
        capturedByName: `${user.firstName} ${user.lastName}`,
        now: now(),
        newId: randomUUID,
        offers: new Map([
          [offer.id, { title: String(offer.title), companyName: String(offer.companyName ?? '') }],
        ]),
        organisationName,
      });
      await db.applications!.bulkInsert(docs as unknown as AnyDoc[]);
      return { kind: op.kind, applied: true, id: docs[0]!.id };
    }
    case 'status': {
      const apps = await all('applications', ownOrg);
      const app = pick(apps, op.pick);
      if (!app) return { kind: op.kind, applied: false, reason: 'aucune candidature' };
      for (const to of op.targets) {
        const undo = await r.triage.moveApplication(db, user, app.id, to);
        if (undo) return { kind: op.kind, applied: true, id: app.id, value: to };
      }
      return { kind: op.kind, applied: false, reason: `aucun statut possible depuis ${String(app.status)}` };
    }
    case 'rate':
    case 'note':
    case 'tag': {
      const apps = await all('applications', ownOrg);
      const app = pick(apps, op.pick) as ApplicationDoc | undefined;
      if (!app) return { kind: op.kind, applied: false, reason: 'aucune candidature' };
      if (op.kind === 'rate') await r.triage.rateApplication(db, user, app, op.rating);
      else if (op.kind === 'note') await r.triage.noteApplication(db, user, app, `Note ${op.token}`);
      else await r.triage.tagApplication(db, user, app, op.token.toLowerCase());
      return { kind: op.kind, applied: true, id: app.id };
    }
    case 'list-create': {
      const list = await r.cvDb.createList(db, {
        organisationId,
        ownerId: user.id,
        name: `Liste ${op.token}`,
        shared: true,
      });
      return { kind: op.kind, applied: true, id: list.id };
    }
    case 'list-add':
    case 'list-remove': {
      const lists = await all('cvLists', ownOrg);
      const list = pick(lists, op.pick);
      if (!list) return { kind: op.kind, applied: false, reason: 'aucune liste' };
      const cvs = await all('cvs');
      const cv = pick(cvs, op.cvPick);
      if (!cv) return { kind: op.kind, applied: false, reason: 'aucun CV' };
      if (op.kind === 'list-add') await r.cvDb.addCvsToList(db, list.id, [cv.id], user.id);
      else await r.cvDb.removeCvsFromList(db, list.id, [cv.id]);
      return { kind: op.kind, applied: true, id: list.id, value: cv.id };
    }
    case 'search': {
      const doc = await r.cvDb.recordRun(db, {
        ownerId: user.id,
        organisationId,
        criteria: { keywords: `campagne ${op.token}` },
        resultCount: op.pick % 50,
        source: 'local',
      });
      if (!doc) return { kind: op.kind, applied: false, reason: 'CVthèque absente' };
      if (op.favourite) await r.cvDb.starSearch(db, doc.id, true);
      return { kind: op.kind, applied: true, id: doc.id };
    }
    case 'message': {
      const conversations = await all('conversations', ownOrg);
      const conversation = pick(conversations, op.pick) as ConversationDocLike | undefined;
      if (!conversation) return { kind: op.kind, applied: false, reason: 'aucune conversation' };
      const { message } = r.messages.draftDocuments({
        user,
        organisation: { organisationId, organisationName },
        conversation,
        body: `Message ${op.token}`,
        attachments: [],
        messageId: randomUUID(),
        now: now(),
      });
      await db.messages!.insert(message);
      return { kind: op.kind, applied: true, id: message.id };
    }
    case 'read': {
      const conversations = await all('conversations', ownOrg);
      const conversation = pick(conversations, op.pick);
      if (!conversation) return { kind: op.kind, applied: false, reason: 'aucune conversation' };
      await r.messages.markConversationRead(db, conversation.id, user.id);
      return { kind: op.kind, applied: true, id: conversation.id };
    }
  }
}

/** The replica and the sync state; with `take`, also the acknowledgements and conflicts since the last take. */
async function dump(take = false) {
  const { r, sync } = ready();
  const replica: Record<string, AnyDoc[]> = {};
  for (const name of r.collections.REPLICA_NAMES) replica[name] = await all(name);
  const state = sync.getState();
  const pendingKeys = Object.keys(
    JSON.parse(localStorage.getItem(`ws:${ready().user.id}:pending`) ?? '{}') as Record<string, string>,
  );
  return {
    replica,
    pending: state.pending,
    pendingKeys,
    lastError: state.lastError,
    acks: take ? net.acks.splice(0) : [],
    conflicts: take ? net.conflicts.splice(0) : [],
    requests: net.requests,
    failures: net.failures,
  };
}

async function open(request: Extract<WorkstationRequest, { cmd: 'open' }>) {
  r ??= await loadRenderer();
  user = request.user;
  organisationId = request.organisationId;
  organisationName =
    user.memberships.find((m) => m.organisationId === organisationId)?.organisationName ?? '';
  net.token = request.token;
  net.base = request.url;
  r.api.setServerUrl(request.url);
  r.localStore.saveLastUser(user);
  const creators = r.collections.collectionCreators;
  const titles = Object.values(creators).map((c) => c.schema.title ?? '');
  db = (await createRxDatabase({
    name: `poste_${request.name}_${randomUUID().slice(0, 8)}`,
    storage: r.validate.validateLocalWrites(
      r.pulledRecords.withPulledRecordsOnDemand(getRxStorageMemory()),
      titles,
    ),
    multiInstance: false,
    eventReduce: true,
  })) as unknown as Db;
  await db.addCollections(creators as never);
  // Traced: every write to the replica with its context (this workstation's own change, a master
  // state written by the replication, a conflict resolved), next to what the network carried.
  if (TRACE)
    for (const name of Object.keys(creators))
      (db as unknown as Record<string, RxCollection>)[name]!.eventBulks$.subscribe((bulk) =>
        traceDocs(
          `écrit ${typeof bulk.context === 'string' ? bulk.context.replace(/-[0-9a-z]{20,}$/, '') : 'local'}`,
          bulk.events.map((e) => e.documentData),
          Date.now(),
        ),
      );
  // Failed requests are tried again after 0.5 s (5 s in the app): the same code, a shorter day.
  sync = new r.replication.SyncController(db, user.id, 500);
  sync.start();
}

async function handle(request: WorkstationRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'open':
      await open(request);
      return null;
    case 'offline':
      goOffline();
      return null;
    case 'online':
      net.online = true;
      ready().sync.resync();
      return null;
    case 'resync':
      ready().sync.resync();
      return null;
    case 'do': {
      const results: OpResult[] = [];
      for (const op of request.ops) {
        try {
          results.push(await run(op));
        } catch (err) {
          results.push({ kind: op.kind, applied: false, reason: `erreur : ${String(err)}`, error: true });
        }
      }
      return results;
    }
    case 'dump':
      return dump(request.take === true);
    case 'trace':
      return request.ids.map((id) => ({ id, seen: trace.get(id) ?? [] }));
    case 'close':
      await sync?.stop();
      await db?.close();
      sync = null;
      db = null;
      return null;
  }
}

if (process.send) {
  let queue: Promise<void> = Promise.resolve();
  process.on('message', (message: WorkstationRequest & { id: number }) => {
    queue = queue.then(async () => {
      try {
        process.send?.({ id: message.id, ok: true, result: await handle(message) });
      } catch (error) {
        process.send?.({
          id: message.id,
          ok: false,
          error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
        });
      }
    });
  });
  // The campaign closes the replica, disconnects, and ends the process if it lingers.
  process.on('disconnect', () => {
    void sync?.stop().catch(() => undefined);
    void db?.close().catch(() => undefined);
  });
  process.send({ id: 0, ok: true, result: 'ready' });
}
