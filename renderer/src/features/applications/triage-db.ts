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
} from '../../../../shared/domain/application';
import {
  newEvaluation,
  withNote,
  withoutTag,
  withRating,
  withTag,
} from '../../../../shared/domain/evaluation';
import type { ApplicationDoc, EvaluationDoc } from '../../../../shared/schemas';
import type { WorkstationDatabase } from '../../db/collections';
import { useObservableValue } from '../../hooks/use-rx-query';
import { docData } from '../offers/use-offers';
import type { UndoEntry } from './applicants-model';

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
  const existing = await db.evaluations.findOne(fresh.id).exec();
  const before = existing ? (docData(existing) as EvaluationDoc) : null;
  const next = change(before ? { ...before } : fresh);
  if (before && next === before) return null;
  if (existing) await existing.incrementalModify((d) => change(d));
  else await db.evaluations.insert(next);
  return {
    kind: 'evaluation',
    evaluationId: fresh.id,
    label,
    before: before ? structuredClone(before) : null,
  };
}

export function rateApplication(
  db: WorkstationDatabase,
  user: SessionUser,
  application: ApplicationDoc,
  rating: number,
  now: Date = new Date(),
) {
  return changeEvaluation(db, user, application, (d) => withRating(d, rating, now), `note ${rating}/5`, now);
}

export function noteApplication(
  db: WorkstationDatabase,
  user: SessionUser,
  application: ApplicationDoc,
  text: string,
  now: Date = new Date(),
) {
  const id = crypto.randomUUID();
  return changeEvaluation(db, user, application, (d) => withNote(d, text, id, now), 'note écrite', now);
}

export function tagApplication(
  db: WorkstationDatabase,
  user: SessionUser,
  application: ApplicationDoc,
  tag: string,
  remove = false,
  now: Date = new Date(),
) {
  return changeEvaluation(
    db,
    user,
    application,
    (d) => (remove ? withoutTag(d, tag, now) : withTag(d, tag, now)),
    remove ? `étiquette « ${tag} » retirée` : `étiquette « ${tag} »`,
    now,
  );
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
    const before = entry.before;
    const at = now.toISOString();
    await doc.incrementalModify((d) => {
      // Back to the state before the action; a rating taken back is dated now, so that it wins the
      // merge with another device's older rating (« latest rating »).
      const { rating: _r, ratedAt: _ra, ...rest } = before ?? { ...d, notes: [], tags: [] };
      const restored: EvaluationDoc = { ...rest, updatedAt: at > d.updatedAt ? at : d.updatedAt };
      if (before?.rating !== undefined) {
        restored.rating = before.rating;
        restored.ratedAt = d.rating !== before.rating ? at : (before.ratedAt ?? at);
      }
      return restored;
    });
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
