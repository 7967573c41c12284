/**
 * One workstation for the triage convergence suite (triage-convergence.test.ts), run as a child
 * process (`fork(…, { execArgv: ['--import', 'tsx'] })`): RxDB's free tier opens at most 13
 * collections per process, and a real team has one process per workstation anyway.
 *
 * An RxDB memory replica of `applications`, `evaluations` and `notices` (rx-client.ts) with the
 * workstation's own conflict resolvers (renderer/src/db/conflict-triage.ts, conflict.ts), written
 * the way the workstation writes: captures with `captureApplications`, evaluations with
 * `newEvaluation` / `withRating` / `withNote` / `withTag`, status changes along the transitions table.
 *
 * Driven over IPC: `{ id, cmd, ... }` in, `{ id, ok, result | error }` out. Commands: `open`,
 * `goOffline`, `goOnline`, `do` (a list of operations, run in order), `waitIdle`, `dump`, `close`.
 */
import { randomUUID } from 'node:crypto';
import type { RxCollection, RxDocument } from 'rxdb';
import {
  type ApplicationStatus,
  canMoveApplication,
  isApplicationStatus,
} from '../../shared/domain/application';
import { type CaptureInput, captureApplications } from '../../shared/domain/capture';
import {
  evaluationIdFor,
  newEvaluation,
  withNote,
  withRating,
  withTag,
} from '../../shared/domain/evaluation';
import type { ApplicationDoc, EvaluationDoc, NoticeDoc } from '../../shared/schemas';
import { type ConflictResolver, createRxClient, type RxClient, rawDocs } from './rx-client';

// ---------------------------------------------------------------------------------------------
// The protocol (types only: the test imports them with `import type`)

export interface TriageClientConfig {
  url: string;
  token: string;
  /** Names the replica in errors (« r1-bureau », « r1-portable », « collegue »). */
  name: string;
  userId: string;
  userName: string;
  organisationId: string;
  organisationName: string;
  /** The offers this user handles: status changes and evaluations pick their applicants. */
  offerIds: string[];
}

export type OfferSnapshots = [
  string,
  { title: string; number?: string; companyName: string; city?: string; postalCode?: string },
][];

/** What the test asks a workstation to do; `pick` chooses among the local applicants (sorted by id). */
export type TriageOp =
  | {
      kind: 'status';
      /** A given applicant, or the `pick`-th of the local ones whose status this replica did not change since its last sync. */
      applicationId?: string;
      pick?: number;
      /** Preferred targets, in order: the first one the transitions table allows from the local status is used. */
      targets: ApplicationStatus[];
      refusalReason?: string;
    }
  | { kind: 'rate'; applicationId?: string; pick?: number; rating: number }
  | { kind: 'note'; applicationId?: string; pick?: number; noteId: string; text: string }
  | { kind: 'tag'; applicationId?: string; pick?: number; tag: string }
  | {
      kind: 'capture';
      /** Who this is for the test (several captures of the same person share it). */
      person: string;
      input: CaptureInput;
      offers: OfferSnapshots;
      eventId?: string;
    };

export type TriageOpResult =
  | {
      kind: 'status';
      applied: true;
      applicationId: string;
      from: ApplicationStatus;
      to: ApplicationStatus;
      at: string;
    }
  | { kind: 'status'; applied: false; reason: string }
  | { kind: 'rate'; applicationId: string; rating: number; at: string }
  | { kind: 'note'; applicationId: string; noteId: string; text: string; at: string }
  | { kind: 'tag'; applicationId: string; tag: string; at: string }
  | {
      kind: 'capture';
      person: string;
      captureId: string;
      applicationIds: string[];
      /** The capturer's rating and note, put in their evaluation of each application (note ids aligned). */
      rating: number | null;
      note: string;
      noteIds: (string | null)[];
      at: string;
    }
  | { kind: 'skipped'; reason: string };

export interface TriageDump {
  applications: ApplicationDoc[];
  evaluations: EvaluationDoc[];
  notices: NoticeDoc[];
  online: boolean;
  errors: number;
  requests: { pull: number; push: number; stream: number };
}

export type TriageRequest = { id: number } & (
  | { cmd: 'open'; config: TriageClientConfig }
  | { cmd: 'goOffline' }
  | { cmd: 'goOnline' }
  | { cmd: 'do'; ops: TriageOp[] }
  | { cmd: 'waitIdle' }
  | { cmd: 'dump' }
  | { cmd: 'close' }
);

export type TriageResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

// ---------------------------------------------------------------------------------------------
// The workstation's resolvers: another TypeScript project (renderer/), loaded at run time.

interface ResolverModules {
  triage: {
    resolveApplicationConflict: ConflictResolver;
    resolveEvaluationConflict: ConflictResolver;
  };
  conflict: { resolveNoticeConflict: ConflictResolver };
}
const TRIAGE_RESOLVERS = '../../renderer/src/db/conflict-triage.ts';
const CONFLICT_RESOLVERS = '../../renderer/src/db/conflict.ts';

async function loadResolvers(): Promise<ResolverModules> {
  const [triage, conflict] = await Promise.all([
    import(TRIAGE_RESOLVERS) as Promise<ResolverModules['triage']>,
    import(CONFLICT_RESOLVERS) as Promise<ResolverModules['conflict']>,
  ]);
  return { triage, conflict };
}

// ---------------------------------------------------------------------------------------------
// The workstation

const LOCAL_ONLY = new Set(['_meta', '_rev', '_attachments', '_deleted']);
function plain<T>(doc: RxDocument<T> | T): T {
  const data = (
    typeof (doc as RxDocument<T>).toJSON === 'function' ? (doc as RxDocument<T>).toJSON(true) : doc
  ) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!LOCAL_ONLY.has(k) && v !== undefined) out[k] = v;
  return structuredClone(out) as T;
}

class Workstation {
  /** Applicants whose status this replica changed since its last `waitIdle`: at most one change each. */
  private readonly statusTouched = new Set<string>();
  private lastNow = 0;

  constructor(
    readonly client: RxClient,
    readonly config: TriageClientConfig,
  ) {}

  /** The workstation's clock, strictly increasing (two writes never share a millisecond). */
  private now(): Date {
    const t = Math.max(Date.now(), this.lastNow + 1);
    this.lastNow = t;
    return new Date(t);
  }

  private get applications(): RxCollection<ApplicationDoc> {
    return this.client.applications;
  }
  private get evaluations(): RxCollection<EvaluationDoc> {
    return this.client.evaluations;
  }

  /** The local applicants of this user's offers, by id. */
  private async applicants(): Promise<ApplicationDoc[]> {
    const docs = await this.applications.find().exec();
    return docs
      .map((d) => plain<ApplicationDoc>(d))
      .filter((d) => d.offerId !== undefined && this.config.offerIds.includes(d.offerId))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  private async target(op: { applicationId?: string; pick?: number }): Promise<ApplicationDoc | null> {
    if (op.applicationId) {
      const d = await this.applications.findOne(op.applicationId).exec();
      return d ? plain<ApplicationDoc>(d) : null;
    }
    const all = await this.applicants();
    return all.length === 0 ? null : all[(op.pick ?? 0) % all.length]!;
  }

  async run(op: TriageOp): Promise<TriageOpResult> {
    switch (op.kind) {
      case 'status':
        return this.changeStatus(op);
      case 'rate':
      case 'note':
      case 'tag':
        return this.evaluate(op);
      case 'capture':
        return this.capture(op);
    }
  }

  /** As the triage screen does: only a move the transitions table allows from the local status. */
  private async changeStatus(op: Extract<TriageOp, { kind: 'status' }>): Promise<TriageOpResult> {
    let doc: ApplicationDoc | null;
    if (op.applicationId) doc = await this.target(op);
    else {
      const free = (await this.applicants()).filter((d) => !this.statusTouched.has(d.id));
      doc = free.length === 0 ? null : free[(op.pick ?? 0) % free.length]!;
    }
    if (!doc) return { kind: 'status', applied: false, reason: 'aucune candidature disponible' };
    if (this.statusTouched.has(doc.id))
      return {
        kind: 'status',
        applied: false,
        reason: 'statut déjà changé depuis la dernière synchronisation',
      };
    const from = doc.status as ApplicationStatus;
    const to = op.targets.find((t) => isApplicationStatus(t) && canMoveApplication(from, t, 'recruteur'));
    if (!to) return { kind: 'status', applied: false, reason: `aucun statut possible depuis ${from}` };
    const at = this.now().toISOString();
    const next: ApplicationDoc = { ...doc, status: to, updatedAt: at };
    if (to === 'refusee') {
      next.refusalReason = op.refusalReason ?? 'Candidat non joignable';
      next.refusalVisible = false;
    }
    await this.applications.upsert(next);
    this.statusTouched.add(doc.id);
    return { kind: 'status', applied: true, applicationId: doc.id, from, to, at };
  }

  /** The author's own evaluation of the applicant, created on first use (one per author and subject). */
  private async evaluate(op: Extract<TriageOp, { kind: 'rate' | 'note' | 'tag' }>): Promise<TriageOpResult> {
    const app = await this.target(op);
    if (!app) return { kind: 'skipped', reason: 'aucune candidature disponible' };
    const now = this.now();
    const at = now.toISOString();
    const doc = await this.evaluation(app, now);
    switch (op.kind) {
      case 'rate':
        await this.evaluations.upsert(withRating(doc, op.rating, now));
        return { kind: 'rate', applicationId: app.id, rating: op.rating, at };
      case 'note':
        await this.evaluations.upsert(withNote(doc, op.text, op.noteId, now));
        return { kind: 'note', applicationId: app.id, noteId: op.noteId, text: op.text, at };
      case 'tag':
        await this.evaluations.upsert(withTag(doc, op.tag, now));
        return { kind: 'tag', applicationId: app.id, tag: op.tag, at };
    }
  }

  private async evaluation(app: ApplicationDoc, now: Date): Promise<EvaluationDoc> {
    const id = evaluationIdFor(this.config.userId, app.id);
    const existing = await this.evaluations.findOne(id).exec();
    if (existing) return plain<EvaluationDoc>(existing);
    return newEvaluation({
      authorId: this.config.userId,
      authorName: this.config.userName,
      organisationId: app.organisationId,
      subjectKind: 'application',
      subjectId: app.id,
      ...(app.offerId ? { offerId: app.offerId } : {}),
      now,
    });
  }

  /** A walk-in candidate: one application per offer of interest, the rating and note in the capturer's evaluations. */
  private async capture(op: Extract<TriageOp, { kind: 'capture' }>): Promise<TriageOpResult> {
    const now = this.now();
    const docs = captureApplications(op.input, {
      organisationId: this.config.organisationId,
      ...(op.eventId ? { eventId: op.eventId, eventKind: 'salon' as const } : {}),
      capturedBy: this.config.userId,
      capturedByName: this.config.userName,
      now,
      newId: randomUUID,
      offers: new Map(op.offers),
      organisationName: this.config.organisationName,
    });
    await this.applications.bulkInsert(docs);
    const note = op.input.note.trim();
    const noteIds: (string | null)[] = [];
    for (const app of docs) {
      let ev = await this.evaluation(app, now);
      if (op.input.rating !== null) ev = withRating(ev, op.input.rating, now);
      const noteId = note ? randomUUID() : null;
      if (noteId) ev = withNote(ev, note, noteId, now);
      noteIds.push(noteId);
      if (ev.rating !== undefined || ev.notes.length > 0) await this.evaluations.upsert(ev);
    }
    return {
      kind: 'capture',
      person: op.person,
      captureId: docs[0]!.captureId!,
      applicationIds: docs.map((d) => d.id),
      rating: op.input.rating,
      note,
      noteIds,
      at: now.toISOString(),
    };
  }

  async waitIdle(): Promise<void> {
    if (!this.client.online) throw new Error(`${this.config.name} est hors ligne : rien à attendre.`);
    await this.client.awaitInSync();
    this.statusTouched.clear();
  }

  async dump(): Promise<TriageDump> {
    const [applications, evaluations, notices] = await Promise.all([
      this.applications.find().exec(),
      this.evaluations.find().exec(),
      rawDocs<NoticeDoc>(this.client.notices, { _deleted: { $eq: false } }),
    ]);
    return {
      applications: applications.map((d) => plain<ApplicationDoc>(d)),
      evaluations: evaluations.map((d) => plain<EvaluationDoc>(d)),
      notices: notices.map((d) => plain<NoticeDoc>(d)),
      online: this.client.online,
      errors: this.client.errors.length,
      requests: { ...this.client.requests },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The IPC loop

let station: Workstation | null = null;
let resolvers: ResolverModules | null = null;

function current(): Workstation {
  if (!station) throw new Error('Aucun poste ouvert : envoyez d’abord « open ».');
  return station;
}

async function handle(request: TriageRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'open': {
      if (station) await station.client.close();
      station = null;
      resolvers ??= await loadResolvers();
      const client = await createRxClient({
        url: request.config.url,
        token: request.config.token,
        name: request.config.name,
        collections: ['applications', 'evaluations', 'notices'],
        retryTime: 200,
        conflictHandlers: {
          applications: resolvers.triage.resolveApplicationConflict,
          evaluations: resolvers.triage.resolveEvaluationConflict,
          notices: resolvers.conflict.resolveNoticeConflict,
        },
      });
      station = new Workstation(client, request.config);
      await station.waitIdle();
      return null;
    }
    case 'goOffline':
      current().client.setOnline(false);
      return null;
    case 'goOnline':
      current().client.setOnline(true);
      return null;
    case 'do': {
      const s = current();
      const results: TriageOpResult[] = [];
      for (const op of request.ops) results.push(await s.run(op));
      return results;
    }
    case 'waitIdle':
      await current().waitIdle();
      return null;
    case 'dump':
      return current().dump();
    case 'close':
      if (station) await station.client.close();
      station = null;
      return null;
  }
}

if (process.send) {
  // One request at a time, in order: the test awaits each answer anyway.
  let queue: Promise<void> = Promise.resolve();
  process.on('message', (message: TriageRequest) => {
    queue = queue.then(async () => {
      let response: TriageResponse;
      try {
        response = { id: message.id, ok: true, result: await handle(message) };
      } catch (error) {
        response = {
          id: message.id,
          ok: false,
          error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
        };
      }
      process.send?.(response);
    });
  });
  process.on('disconnect', () => {
    void (station?.client.close() ?? Promise.resolve()).finally(() => process.exit(0));
  });
  process.send({ id: 0, ok: true, result: 'ready' } satisfies TriageResponse);
}
