/**
 * Applications as a replicated collection (DESIGN §4, §6): the recruiters of the offer's (or the
 * company profile's) organisation pull them (`org:<organisationId>`); the candidate changes them
 * through the portal's routes (candidate/applications.ts), which write through the engine like
 * any other change so every replica gets it.
 *
 * Pushes from the workstation: a recruiter who may handle the application (an administrator of
 * the organisation, the offer's author or one of its co-recruiters; any recruiter of the
 * organisation for a spontaneous application) may move its status along the transitions table
 * (`shared/domain/application.ts`, actor `recruteur`) and set the refusal (reason, required, whether
 * the candidate sees it, a message; the candidate gets one e-mail per refusal). Issue 6: a member
 * of the organisation creates fair and session captures, and a recruiter merges a capture into
 * another application (capture-service.ts). Everything else comes from the master; deleting
 * applications from the workstation is refused.
 */
import type { SessionUser } from '../../../shared/domain/account';
import {
  APPLICATION_STATUS_RECRUITER_LABELS,
  type ApplicationActor,
  type ApplicationStatus,
  canMoveApplication,
  canUndoLastMove,
  whyNoCvAttachment,
} from '../../../shared/domain/application';
import { isSha256 } from '../../../shared/domain/files';
import { type ApplicationDoc, applicationSchema } from '../../../shared/schemas/application.schema';
import { clock } from '../clock';
import { refreshCvKeys } from '../cvtheque/scope';
import type { Queryable } from '../db/database';
import { deleteUnusedFiles, fileRefsOf, recordFileRefs } from '../files/routes';
import type { SyncEngine } from '../sync/engine';
import type { CollectionDef, Doc, PushContext, PushDecision } from '../sync/types';
import {
  changedMeanwhile,
  checkRefusal,
  decideCapture,
  decideMerge,
  queueRefusalEmail,
  REFUSAL_TITLE,
  userName,
} from './capture-service';

export type HistoryEntry = NonNullable<ApplicationDoc['history']>[number];

export function applicationTombstone(id: string): Doc {
  return {
    id,
    organisationId: '',
    status: 'archivee',
    source: 'portail',
    history: [],
    createdAt: '',
    updatedAt: '',
  };
}

/** The files an application refers to (recruiters who see it may download them). */
export function applicationFiles(doc: Pick<ApplicationDoc, 'cvFile' | 'letterFile'>): string[] {
  return [doc.cvFile, doc.letterFile].filter((h): h is string => typeof h === 'string');
}

/** Writes an application (new or changed) and records its file references, in `tx`. */
export async function writeApplication(
  tx: Queryable,
  engine: SyncEngine,
  doc: ApplicationDoc,
): Promise<void> {
  await engine.write(tx, applicationsCollection, doc as unknown as Doc, false);
  await recordFileRefs(tx, 'applications', doc.id, applicationFiles(doc));
  // The organisation applied to replicates the CV sent with the application.
  if (doc.cvId) await refreshCvKeys(tx, engine, [doc.cvId]);
}

/**
 * Removes an application from every replica: a tombstone without content, no follow link, no file
 * references, and the bytes of its files that nothing else uses (a CV sent without an account).
 */
export async function eraseApplication(
  tx: Queryable,
  engine: SyncEngine,
  doc: ApplicationDoc,
): Promise<void> {
  await engine.write(tx, applicationsCollection, doc as unknown as Doc, true);
  await tx.query('delete from application_follow_tokens where application_id = $1', [doc.id]);
  const files = await fileRefsOf(tx, 'applications', doc.id);
  await recordFileRefs(tx, 'applications', doc.id, []);
  await deleteUnusedFiles(tx, files);
  if (doc.cvId) await refreshCvKeys(tx, engine, [doc.cvId]);
}

export class TransitionRefused extends Error {
  constructor(
    readonly from: ApplicationStatus,
    readonly to: ApplicationStatus,
  ) {
    super(`transition ${from} → ${to} refusée`);
    this.name = 'TransitionRefused';
  }
}

/**
 * The application moved to `to` by `actor`, with a history entry; throws `TransitionRefused`
 * when the transitions table does not allow it. Pure: the caller writes the result.
 */
export function moved(
  doc: ApplicationDoc,
  to: ApplicationStatus,
  actor: { kind: ApplicationActor; id?: string; name?: string },
  now: Date = clock.now(),
  extra: Partial<ApplicationDoc> = {},
): ApplicationDoc {
  const from = doc.status as ApplicationStatus;
  if (!canMoveApplication(from, to, actor.kind)) throw new TransitionRefused(from, to);
  const at = now.toISOString();
  const entry: HistoryEntry = {
    at,
    from,
    to,
    ...(actor.id ? { by: actor.id } : {}),
    ...(actor.name ? { byName: actor.name.slice(0, 120) } : {}),
  };
  return {
    ...doc,
    ...extra,
    status: to,
    history: [...(doc.history ?? []), entry].slice(-200),
    updatedAt: at,
  };
}

async function mayHandle(tx: Queryable, user: SessionUser, doc: ApplicationDoc): Promise<boolean> {
  const m = user.memberships.find((x) => x.organisationId === doc.organisationId);
  if (!m) return false;
  if (m.role === 'admin' || !doc.offerId) return true;
  const { rows } = await tx.query<{ author: string | null; co: string[] | null }>(
    `select doc->>'authorId' as author,
            array(select jsonb_array_elements_text(coalesce(doc->'coRecruiterIds', '[]'::jsonb))) as co
       from offers where id = $1`,
    [doc.offerId],
  );
  const offer = rows[0];
  return !!offer && (offer.author === user.id || (offer.co ?? []).includes(user.id));
}

const refuse = (title: string, message: string, field?: string): PushDecision => ({
  kind: 'refuse',
  refusal: { title, message, ...(field ? { fields: [{ field, message }] } : {}) },
});

export const applicationsCollection: CollectionDef = {
  name: 'applications',
  table: 'applications',
  version: applicationSchema.version,
  schema: applicationSchema,
  keysFor(doc) {
    // The organisation applied to; and whoever captured the person (an advisor capturing attendees
    // of a recruitment session for an employer follows them, DESIGN §6 « the applications it made »).
    const keys = [`org:${String(doc.organisationId)}`];
    if (typeof doc.capturedBy === 'string' && doc.capturedBy) keys.push(`user:${doc.capturedBy}`);
    return keys;
  },
  tombstone: applicationTombstone,
  async decide(ctx, masterDoc, incomingDoc, incomingDeleted) {
    const { tx, user } = ctx;
    let master = masterDoc as unknown as ApplicationDoc | null;
    const incoming = incomingDoc as unknown as ApplicationDoc;
    if (master) {
      // A merge earlier in the same push batch may have rewritten this application after the
      // engine read its master (capture-service.ts `decideMerge`): the change applies on top of
      // what is stored now.
      const { rows } = await tx.query<{ doc: ApplicationDoc }>(
        'select doc from applications where id = $1 and not deleted',
        [master.id],
      );
      if (rows[0]) master = rows[0].doc;
    }
    if (!master) {
      if (incomingDeleted)
        return refuse(
          'Suppression refusée',
          'Une candidature ne se supprime pas : archivez-la. Seul le candidat peut effacer ses données.',
        );
      // Issue 6: a fair or session capture (capture-service.ts); anything else is refused there.
      if (incoming.status === 'nouvelle') return decideCapture(ctx, incoming);
      // Triaged on the workstation before its first sync: the capture is written as captured,
      // then the move applies on top of it by the same rules as any other. A move refused there
      // never costs the capture: it is kept and its author gets a notice.
      const {
        refusalReason: _r,
        refusalVisible: _v,
        refusalMessage: _m,
        mergedInto: _g,
        ...captured
      } = incoming;
      const created = await decideCapture(ctx, { ...captured, status: 'nouvelle' });
      if (created.kind !== 'write') return created;
      const after = await decideChange(ctx, created.doc as unknown as ApplicationDoc, incoming);
      if (after.kind === 'write') return after;
      return {
        kind: 'write',
        doc: created.doc,
        notices: [
          {
            userId: user.id,
            kind: 'refus',
            collection: 'applications',
            documentId: incoming.id,
            title: after.refusal.title,
            message: `La saisie est enregistrée au statut « ${APPLICATION_STATUS_RECRUITER_LABELS.nouvelle} », mais pas son changement de statut : ${after.refusal.message}`,
            ...(after.refusal.fields ? { fields: after.refusal.fields } : {}),
          },
        ],
      };
    }
    if (incomingDeleted) {
      return refuse(
        'Suppression refusée',
        'Une candidature ne se supprime pas : archivez-la. Seul le candidat peut effacer ses données.',
      );
    }
    return decideChange(ctx, master, incoming);
  },
};

/**
 * When a recruiter's move happened: the time their workstation recorded (its last history entry,
 * for this very move by this user), so a decision taken offline at a fair keeps its hour once
 * synced, and the stored document is the one the workstation already holds (nothing to write
 * back into its replica). Bounded: never before the application's last change nor after now;
 * otherwise, now.
 */
export function moveTime(
  master: ApplicationDoc,
  incoming: ApplicationDoc,
  to: ApplicationStatus,
  userId: string,
  now: Date,
): Date {
  const claimed = incoming.history?.at(-1);
  if (!claimed || claimed.from !== master.status || claimed.to !== to || claimed.by !== userId) return now;
  const at = Date.parse(claimed.at);
  if (!Number.isFinite(at) || new Date(at).toISOString() !== claimed.at) return now;
  const floor = Math.max(
    Date.parse(master.updatedAt) || 0,
    Date.parse(master.history?.at(-1)?.at ?? '') || 0,
  );
  return at >= floor && at <= now.getTime() ? new Date(at) : now;
}

/** A recruiter's change of an application that exists (status, refusal, merge), judged against `master`. */
async function decideChange(
  ctx: PushContext,
  master: ApplicationDoc,
  incoming: ApplicationDoc,
): Promise<PushDecision> {
  const { tx, user, now } = ctx;
  if (!(await mayHandle(tx, user, master))) {
    return refuse(
      'Modification refusée',
      'Seuls le recruteur qui a publié l’offre, ses co-recruteurs et les administrateurs de l’organisation traitent ses candidatures.',
    );
  }
  // The recruiter confirmed a merge (issue 6): the capture is archived, the target completed.
  if ((incoming.mergedInto ?? null) !== (master.mergedInto ?? null)) {
    if (!incoming.mergedInto)
      return refuse(
        'Fusion refusée',
        'Une fusion ne s’annule pas : la saisie reste archivée et rattachée à la candidature choisie.',
        'mergedInto',
      );
    return decideMerge(ctx, master, incoming, (doc) => mayHandle(tx, user, doc));
  }
  // A CV brought after the capture (e-mailed the next day, on a USB stick), given to the applicant
  // on the workstation: a capture without a CV file takes it. The files a candidate sent are theirs
  // and never replaced. A client that leaves the field out changes nothing.
  const attachedCv =
    typeof incoming.cvFile === 'string' && incoming.cvFile !== master.cvFile ? incoming.cvFile : null;
  if (attachedCv !== null) {
    const why =
      whyNoCvAttachment(master) ??
      (isSha256(attachedCv)
        ? null
        : 'La référence du fichier du CV est invalide (empreinte SHA-256 attendue).');
    if (why) return refuse('CV non joint', why, 'cvFile');
  }
  let next: ApplicationDoc = master;
  const to = incoming.status as ApplicationStatus;
  let refusedAt: string | null = null;
  if (to !== master.status && canUndoLastMove(master, to, user.id, now)) {
    // « Annuler » in the triage after the move was synced: back to where this user took it from,
    // recorded as a move of its own; a refusal e-mail not sent yet is withdrawn.
    const last = master.history.at(-1)!;
    if (master.status === 'refusee')
      await tx.query('delete from email_outbox where dedupe_key = $1 and sent_at is null', [
        `application-refused:${master.id}:${last.at}`,
      ]);
    const at = now.toISOString();
    next = {
      ...master,
      status: to,
      history: [
        ...master.history,
        { at, from: master.status, to, by: user.id, byName: userName(user) },
      ].slice(-200),
      updatedAt: at,
    };
  } else if (to !== master.status) {
    if (!canMoveApplication(master.status as ApplicationStatus, to, 'recruteur')) {
      // Someone else moved it first: say so with both versions (« modifiée entre-temps »).
      const meanwhile = changedMeanwhile(user, master, incoming);
      if (meanwhile) return { kind: 'refuse', refusal: meanwhile };
      return refuse(
        'Changement de statut refusé',
        `Une candidature « ${APPLICATION_STATUS_RECRUITER_LABELS[master.status as ApplicationStatus]} » ne peut pas passer à « ${APPLICATION_STATUS_RECRUITER_LABELS[to]} ».`,
        'status',
      );
    }
    next = moved(
      master,
      to,
      { kind: 'recruteur', id: user.id, name: userName(user) },
      moveTime(master, incoming, to, user.id, now),
    );
    if (to === 'refusee') refusedAt = next.updatedAt;
  }
  // The refusal (reason, whether the candidate sees it, message): kept while the application is refused.
  const touched =
    refusedAt !== null ||
    (incoming.refusalReason ?? '') !== (master.refusalReason ?? '') ||
    (incoming.refusalVisible ?? false) !== (master.refusalVisible ?? false) ||
    (incoming.refusalMessage ?? '') !== (master.refusalMessage ?? '');
  if (next.status === 'refusee' && touched) {
    const refusal = checkRefusal(incoming);
    if (refusal.errors.length > 0)
      return {
        kind: 'refuse',
        refusal: {
          title: REFUSAL_TITLE,
          message: refusal.errors[0]!.message,
          fields: refusal.errors,
        },
      };
    const changed =
      refusal.reason !== (master.refusalReason ?? '') ||
      refusal.visible !== (master.refusalVisible === true) ||
      refusal.message !== (master.refusalMessage ?? '');
    if (changed || refusedAt) {
      const { refusalMessage: _m, ...rest } = next;
      next = {
        ...rest,
        refusalReason: refusal.reason,
        refusalVisible: refusal.visible,
        ...(refusal.message ? { refusalMessage: refusal.message } : {}),
        updatedAt: refusedAt ?? now.toISOString(),
      };
    }
  } else if (
    next.status !== 'refusee' &&
    (next.refusalReason !== undefined ||
      next.refusalVisible !== undefined ||
      next.refusalMessage !== undefined)
  ) {
    // Back in the pipeline: the former refusal no longer shows anywhere.
    const { refusalReason: _r, refusalVisible: _v, refusalMessage: _m, ...rest } = next;
    next = { ...rest, updatedAt: now.toISOString() };
  }
  if (attachedCv !== null)
    next = { ...next, cvFile: attachedCv, updatedAt: next === master ? now.toISOString() : next.updatedAt };
  if (refusedAt) await queueRefusalEmail(tx, next, refusedAt);
  await recordFileRefs(tx, 'applications', next.id, applicationFiles(next));
  return { kind: 'write', doc: next as unknown as Doc };
}
