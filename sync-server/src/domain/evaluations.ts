/**
 * Evaluations (DESIGN §4 `evaluations`): one recruiter's rating, notes and tags on an application
 * or a CV, read by the organisation's recruiters (`org:<organisationId>`), written by its author only.
 *
 * Pushes: the author writes (`authorId` must be the signed-in user; `authorName` is taken from the
 * session, never trusted); the subject must be an application of the evaluation's organisation
 * (one of the user's) or a CV the user's CVthèque may see; `offerId` comes from the application;
 * dates are clamped to now + 1 minute; the author may delete it. The same author's two devices are
 * merged by the workstation's conflict handler (`mergeEvaluations`): the server writes what it got.
 */
import { evaluationIdFor, validateEvaluation } from '../../../shared/domain/evaluation';
import { type EvaluationDoc, evaluationSchema } from '../../../shared/schemas/evaluation.schema';
import type { FieldError } from '../../../shared/sync/errors';
import { isCvthequeUser } from '../cvtheque/session-scope';
import type { Queryable } from '../db/database';
import type { SyncEngine } from '../sync/engine';
import type { CollectionDef, Doc, PushDecision } from '../sync/types';
import { userKeys } from '../sync/types';

export function evaluationTombstone(id: string): Doc {
  return {
    id,
    organisationId: '',
    authorId: '',
    authorName: '',
    subjectKind: 'application',
    subjectId: '',
    notes: [],
    tags: [],
    createdAt: '',
    updatedAt: '',
  };
}

const TITLE = 'Évaluation refusée';

const refuse = (message: string, fields: FieldError[] = []): PushDecision => ({
  kind: 'refuse',
  refusal: { title: TITLE, message, ...(fields.length > 0 ? { fields } : {}) },
});
const refuseField = (field: string, message: string) => refuse(message, [{ field, message }]);

/** A date the client sent, never later than now + 1 minute (an unreadable one becomes now). */
export function clampDate(value: string | undefined, now: Date): string {
  const max = now.getTime() + 60_000;
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(t)) return now.toISOString();
  return new Date(Math.min(t, max)).toISOString();
}

/** Whether one of the user's prescriber organisations organises a recruitment session for `organisationId`. */
async function isSessionPartner(
  tx: Queryable,
  user: Parameters<CollectionDef['decide']>[0]['user'],
  organisationId: string,
): Promise<boolean> {
  const partners = user.memberships.filter((m) => m.kind === 'prescriber').map((m) => m.organisationId);
  if (partners.length === 0) return false;
  const { rows } = await tx.query(
    `select 1 from events
      where not deleted and doc->>'kind' = 'session' and doc->>'organisationId' = $1
        and doc->>'partnerOrganisationId' = any($2::text[]) limit 1`,
    [organisationId, partners],
  );
  return rows.length > 0;
}

/** Where the subject of an evaluation lives, and the offer of an application. */
async function checkSubject(
  tx: Queryable,
  user: Parameters<CollectionDef['decide']>[0]['user'],
  doc: EvaluationDoc,
): Promise<{ ok: true; offerId?: string } | { ok: false; decision: PushDecision }> {
  const member = user.memberships.some((m) => m.organisationId === doc.organisationId);
  const notMember: { ok: false; decision: PushDecision } = {
    ok: false,
    decision: refuseField(
      'organisationId',
      'Vous ne pouvez évaluer un candidat qu’au nom d’une organisation dont vous êtes membre.',
    ),
  };
  if (doc.subjectKind === 'application') {
    const { rows } = await tx.query<{
      organisation_id: string | null;
      offer_id: string | null;
      captured_by: string | null;
      deleted: boolean;
    }>(
      `select doc->>'organisationId' as organisation_id, doc->>'offerId' as offer_id,
              doc->>'capturedBy' as captured_by, deleted
         from applications where id = $1`,
      [doc.subjectId],
    );
    const app = rows[0];
    // A capture made offline may reach the server after its evaluation (the two collections sync
    // independently): an application never seen is taken as on its way, in the user's organisation
    // (or in the organisation a session is run for, for the advisor of its partner prescriber).
    if (!app) {
      if (!member && !(await isSessionPartner(tx, user, doc.organisationId))) return notMember;
      return { ok: true, ...(doc.offerId ? { offerId: doc.offerId } : {}) };
    }
    if (app.deleted || app.organisation_id !== doc.organisationId)
      return {
        ok: false,
        decision: refuseField(
          'subjectId',
          'Cette candidature n’existe plus ou n’a pas été adressée à votre organisation : l’évaluation n’a pas été enregistrée.',
        ),
      };
    // Outside the organisation, only the person who captured the attendee (a session's advisor).
    if (!member && app.captured_by !== user.id) return notMember;
    return { ok: true, ...(app.offer_id ? { offerId: app.offer_id } : {}) };
  }
  if (!member) return notMember;
  // A CV: one the user's replica holds, or one of the CVthèque (DESIGN §6).
  const { rows } = await tx.query<{ visible: boolean }>(
    'select ($2 or keys && $3::text[]) as visible from cvs where id = $1 and not deleted',
    [doc.subjectId, isCvthequeUser(user), userKeys(user)],
  );
  if (!rows[0]?.visible)
    return {
      ok: false,
      decision: refuseField(
        'subjectId',
        'Ce CV n’existe plus ou n’est plus visible dans votre CVthèque : l’évaluation n’a pas été enregistrée.',
      ),
    };
  return { ok: true };
}

export const evaluationsCollection: CollectionDef = {
  name: 'evaluations',
  table: 'evaluations',
  version: evaluationSchema.version,
  schema: evaluationSchema,
  keysFor(doc) {
    const e = doc as unknown as EvaluationDoc;
    // The organisation's recruiters read everyone's; the author always reads their own (an advisor
    // rating the attendees of a session organised for an employer).
    return [`org:${e.organisationId}`, ...(e.authorId ? [`user:${e.authorId}`] : [])];
  },
  tombstone: evaluationTombstone,
  async decide({ tx, user, now }, masterDoc, incomingDoc, incomingDeleted) {
    const master = masterDoc as unknown as EvaluationDoc | null;
    const incoming = incomingDoc as unknown as EvaluationDoc;
    const author = master?.authorId ?? incoming.authorId;
    if (author !== user.id || incoming.authorId !== user.id)
      return refuseField(
        'authorId',
        'Vous ne pouvez écrire ou supprimer que vos propres évaluations : celles de vos collègues restent les leurs.',
      );
    if (incomingDeleted) {
      if (master) return { kind: 'write', doc: master as unknown as Doc, deleted: true };
      // Created and deleted before it ever reached the server: nothing to keep.
      if (incoming.id !== evaluationIdFor(incoming.authorId, incoming.subjectId))
        return refuseField(
          'id',
          'L’identifiant de l’évaluation ne correspond pas à son auteur et à son sujet.',
        );
      if (!user.memberships.some((m) => m.organisationId === incoming.organisationId))
        return refuseField('organisationId', 'Vous n’êtes pas membre de cette organisation.');
      return { kind: 'write', doc: incoming as unknown as Doc, deleted: true };
    }
    if (master) {
      const moved: FieldError[] = [];
      for (const field of ['organisationId', 'subjectKind', 'subjectId'] as const) {
        if (incoming[field] !== master[field])
          moved.push({
            field,
            message:
              'Une évaluation reste attachée à son candidat et à son organisation : créez-en une autre.',
          });
      }
      if (moved.length > 0) return refuse(moved[0]!.message, moved);
    }
    const errors = validateEvaluation(incoming);
    if (errors.length > 0)
      return refuse(`L’évaluation n’a pas été enregistrée : ${errors[0]!.message}`, errors);
    const subject = await checkSubject(tx, user, incoming);
    if (!subject.ok) return subject.decision;

    const { offerId: _clientOffer, rating, ratedAt, ...rest } = incoming;
    const createdAt = master ? master.createdAt : clampDate(incoming.createdAt, now);
    const doc: EvaluationDoc = {
      ...rest,
      authorName: `${user.firstName} ${user.lastName}`.trim().slice(0, 120) || user.email.slice(0, 120),
      ...(subject.offerId ? { offerId: subject.offerId } : {}),
      ...(rating !== undefined ? { rating, ratedAt: clampDate(ratedAt ?? incoming.updatedAt, now) } : {}),
      notes: incoming.notes.map((n) => ({ ...n, at: clampDate(n.at, now) })),
      createdAt,
      updatedAt: clampDate(incoming.updatedAt, now),
    };
    return { kind: 'write', doc: doc as unknown as Doc };
  },
};

/**
 * Removes the evaluations of these subjects (applications or CVs) from every replica: tombstones
 * without content (RGPD erasure of the person evaluated).
 */
export async function eraseEvaluationsOf(
  tx: Queryable,
  engine: SyncEngine,
  subjectIds: readonly string[],
): Promise<number> {
  if (subjectIds.length === 0) return 0;
  const { rows } = await tx.query<{ doc: EvaluationDoc }>(
    `select doc from evaluations where not deleted and doc->>'subjectId' = any($1::text[]) for update`,
    [[...subjectIds]],
  );
  for (const { doc } of rows) await engine.write(tx, evaluationsCollection, doc as unknown as Doc, true);
  return rows.length;
}
