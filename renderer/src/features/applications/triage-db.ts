/**
 * The triage's writes to the local replica (issue 6): status moves and refusals on `applications`,
 * ratings, notes and tags on the user's own `evaluations` document. Every write is local first
 * (it works offline) and reaches the server with the replication; conflicts are resolved by
 * `db/conflict-triage.ts`.
 */
import { useMemo } from 'react';
import type { RxDocument } from 'rxdb';
import { map } from 'rxjs';
import type { SessionUser } from '../../../../shared/domain/account';
import {
  type ApplicationStatus,
  canMoveApplication,
  canUndoLastMove,
  whyNoCvAttachment,
} from '../../../../shared/domain/application';
import {
  newEvaluation,
  normaliseTag,
  withNote,
  withoutTag,
  withRating,
  withTag,
} from '../../../../shared/domain/evaluation';
import type { ApplicationDoc, EvaluationDoc } from '../../../../shared/schemas';
import type { WorkstationDatabase } from '../../db/collections';
import { useObservableValue } from '../../hooks/use-rx-query';
import { docData } from '../offers/use-offers';
import type { EvaluationInverse, UndoEntry } from './applicants-model';

export interface OrganisationApplications {
  list: ApplicationDoc[];
  /** The replica's documents by id: a write starts from the one in memory, without reading it again. */
  docs: ReadonlyMap<string, RxDocument<ApplicationDoc>>;
}

export function useOrganisationApplications(
  db: WorkstationDatabase,
  organisationId: string | null,
): OrganisationApplications | undefined {
  const obs = useMemo(
    () =>
      organisationId
        ? db.applications
            .find({ selector: { organisationId } })
            .$.pipe(map((docs) => ({ list: docs.map(docData), docs: new Map(docs.map((d) => [d.id, d])) })))
        : null,
    [db, organisationId],
  );
  return useObservableValue(obs);
}

export function useOrganisationEvaluations(
  db: WorkstationDatabase,
  organisationId: string | null,
): EvaluationDoc[] | undefined {
  const obs = useMemo(
    () =>
      organisationId
        ? db.evaluations.find({ selector: { organisationId } }).$.pipe(map((docs) => docs.map(docData)))
        : null,
    [db, organisationId],
  );
  return useObservableValue(obs);
}

const fullName = (user: SessionUser) => `${user.firstName} ${user.lastName}`.trim();

export interface MoveOptions {
  refusalReason?: string;
  refusalVisible?: boolean;
  refusalMessage?: string;
}

/**
 * Moves the application to `to` (a recruiter's transition of the shared table) and returns the
 * undo entry; null when the move is not allowed from its current status.
 */
/**
 * Gives a capture without a CV the file kept on this workstation (its SHA-256): written locally at
 * once, pushed with the next sync (the server checks the same rule). Answers why not, or null.
 */
export async function attachApplicationCv(
  db: WorkstationDatabase,
  applicationId: string,
  sha256: string,
  now: Date = new Date(),
): Promise<string | null> {
  const doc = await db.applications.findOne(applicationId).exec();
  if (!doc) return 'Cette candidature n’est plus sur ce poste.';
  const why = whyNoCvAttachment(docData(doc));
  if (why) return why;
  await doc.incrementalModify((d) =>
    whyNoCvAttachment(d) ? d : { ...d, cvFile: sha256, updatedAt: now.toISOString() },
  );
  return null;
}

export async function moveApplication(
  db: WorkstationDatabase,
  user: SessionUser,
  applicationId: string,
  to: ApplicationStatus,
  options: MoveOptions = {},
  now: Date = new Date(),
  inMemory?: RxDocument<ApplicationDoc>,
): Promise<UndoEntry | null> {
  const doc = inMemory ?? (await db.applications.findOne(applicationId).exec());
  if (!doc) return null;
  const current = docData(doc);
  const from = current.status as ApplicationStatus;
  if (!canMoveApplication(from, to, 'recruteur')) return null;
  const at = now.toISOString();
  const before = {
    status: current.status,
    refusalReason: current.refusalReason,
    refusalVisible: current.refusalVisible,
    refusalMessage: current.refusalMessage,
    updatedAt: current.updatedAt,
  };
  await doc.incrementalModify((d) => {
    const next: ApplicationDoc = {
      ...d,
      status: to,
      updatedAt: at,
      // Shown at once; the server writes the authoritative entry when the move syncs.
      history: [...(d.history ?? []), { at, from, to, by: user.id, byName: fullName(user) }].slice(-200),
    };
    if (to === 'refusee') {
      next.refusalReason = (options.refusalReason ?? '').trim().slice(0, 500);
      next.refusalVisible = options.refusalVisible ?? false;
      const message = (options.refusalMessage ?? '').trim().slice(0, 2000);
      if (message) next.refusalMessage = message;
      else delete next.refusalMessage;
    }
    return next;
  });
  // User Timing: the moment the move is in the local database (the triage benchmark reads it).
  performance.mark('triage:statut-enregistre');
  return { kind: 'status', applicationId, label: `statut de ${nameOf(current)}`, before, to };
}

const nameOf = (d: ApplicationDoc) => `${d.applicant?.firstName ?? ''} ${d.applicant?.lastName ?? ''}`.trim();

/** The user's evaluation of the application (created on first use). */
async function changeEvaluation(
  db: WorkstationDatabase,
  user: SessionUser,
  application: ApplicationDoc,
  change: (doc: EvaluationDoc) => EvaluationDoc,
  label: string,
  inverseOf: (before: EvaluationDoc) => EvaluationInverse | null,
  now: Date,
): Promise<UndoEntry | null> {
  const fresh = newEvaluation({
    authorId: user.id,
    authorName: fullName(user),
    organisationId: application.organisationId,
    subjectKind: 'application',
    subjectId: application.id,
    ...(application.offerId ? { offerId: application.offerId } : {}),
    now,
  });
  let inverse: EvaluationInverse | null = null;
  // The change applies to the latest state of the document (writes are queued per document), and
  // the undo is computed against that same state.
  const apply = (d: EvaluationDoc) => {
    inverse = inverseOf(d);
    return change(d);
  };
  const existing = await db.evaluations.findOne(fresh.id).exec();
  if (existing) await existing.incrementalModify(apply);
  else {
    try {
      await db.evaluations.insert(apply(fresh));
    } catch {
      // Created meanwhile (two quick actions on a first evaluation): change it instead.
      const created = await db.evaluations.findOne(fresh.id).exec();
      if (!created) throw new Error('Évaluation introuvable sur ce poste.');
      await created.incrementalModify(apply);
    }
  }
  return inverse ? { kind: 'evaluation', evaluationId: fresh.id, label, inverse } : null;
}

export function rateApplication(
  db: WorkstationDatabase,
  user: SessionUser,
  application: ApplicationDoc,
  rating: number,
  now: Date = new Date(),
) {
  return changeEvaluation(
    db,
    user,
    application,
    (d) => withRating(d, rating, now),
    `note ${rating}/5`,
    (d) => ({
      type: 'rating',
      previous:
        d.rating !== undefined ? { rating: d.rating, ...(d.ratedAt ? { ratedAt: d.ratedAt } : {}) } : null,
    }),
    now,
  );
}

export function noteApplication(
  db: WorkstationDatabase,
  user: SessionUser,
  application: ApplicationDoc,
  text: string,
  now: Date = new Date(),
) {
  const id = crypto.randomUUID();
  return changeEvaluation(
    db,
    user,
    application,
    (d) => withNote(d, text, id, now),
    'note écrite',
    () => (text.trim() ? { type: 'note', noteId: id } : null),
    now,
  );
}

export function tagApplication(
  db: WorkstationDatabase,
  user: SessionUser,
  application: ApplicationDoc,
  tag: string,
  remove = false,
  now: Date = new Date(),
) {
  const t = normaliseTag(tag);
  return changeEvaluation(
    db,
    user,
    application,
    (d) => (remove ? withoutTag(d, t, now) : withTag(d, t, now)),
    remove ? `étiquette « ${t} » retirée` : `étiquette « ${t} »`,
    (d) => {
      const wasPresent = d.tags.some((x) => x.localeCompare(t, 'fr', { sensitivity: 'base' }) === 0);
      // Nothing to take back when the tag was already there (or already absent).
      return wasPresent === !remove ? null : { type: 'tag', tag: t, wasPresent };
    },
    now,
  );
}

/** The evaluation with one change taken back (pure). */
export function undoEvaluationChange(
  doc: EvaluationDoc,
  inverse: EvaluationInverse,
  now: Date,
): EvaluationDoc {
  const at = now.toISOString();
  const updatedAt = at > doc.updatedAt ? at : doc.updatedAt;
  switch (inverse.type) {
    case 'note':
      return { ...doc, notes: doc.notes.filter((n) => n.id !== inverse.noteId), updatedAt };
    case 'tag':
      return inverse.wasPresent
        ? { ...withTag(doc, inverse.tag, now), updatedAt }
        : { ...withoutTag(doc, inverse.tag, now), updatedAt };
    case 'rating': {
      const { rating: _r, ratedAt: _a, ...rest } = doc;
      // Dated now, so that it wins the merge with another device's older rating (« latest rating »).
      return inverse.previous
        ? { ...rest, rating: inverse.previous.rating, ratedAt: at, updatedAt }
        : { ...rest, updatedAt };
    }
  }
}

/**
 * Takes the last action back. A status move still on this workstation is simply reverted; one the
 * server already has is moved back (the server accepts it from its author for 15 minutes,
 * `canUndoLastMove`). Returns a French message when it cannot be undone.
 */
export async function undo(
  db: WorkstationDatabase,
  user: SessionUser,
  entry: UndoEntry,
  now: Date = new Date(),
): Promise<string | null> {
  if (entry.kind === 'evaluation') {
    const doc = await db.evaluations.findOne(entry.evaluationId).exec();
    if (!doc) return null;
    await doc.incrementalModify((d) => undoEvaluationChange(d, entry.inverse, now));
    return null;
  }
  const doc = await db.applications.findOne(entry.applicationId).exec();
  if (!doc) return 'Cette candidature n’est plus sur ce poste.';
  const current = docData(doc);
  if (current.status !== entry.to) return 'La candidature a changé depuis : rien à annuler.';
  const back = entry.before.status as ApplicationStatus;
  if (!canUndoLastMove(current, back, user.id, now) && !canMoveApplication(entry.to, back, 'recruteur'))
    return 'Ce changement ne peut plus être annulé (plus de 15 minutes).';
  const at = now.toISOString();
  await doc.incrementalModify((d) => {
    const next: ApplicationDoc = {
      ...d,
      status: back,
      updatedAt: at,
      history: [...d.history, { at, from: entry.to, to: back, by: user.id, byName: fullName(user) }].slice(
        -200,
      ),
    };
    for (const k of ['refusalReason', 'refusalVisible', 'refusalMessage'] as const) {
      const v = entry.before[k];
      if (v === undefined) delete next[k];
      else (next as Record<string, unknown>)[k] = v;
    }
    return next;
  });
  return null;
}
