/**
 * Applications as a replicated collection (DESIGN §4, §6): the recruiters of the offer's (or the
 * company profile's) organisation pull them (`org:<organisationId>`); the candidate changes them
 * through the portal's routes (candidate/applications.ts), which write through the engine like
 * any other change so every replica gets it.
 *
 * Pushes from the workstation: a recruiter who may handle the application (an administrator of
 * the organisation, the offer's author or one of its co-recruiters; any recruiter of the
 * organisation for a spontaneous application) may move its status along the transitions table
 * (`shared/domain/application.ts`, actor `recruteur`) and set a refusal reason. Everything else
 * comes from the master; creating or deleting applications from the workstation is refused for
 * now (fair captures come with the recruiter pipeline).
 */
import type { SessionUser } from '../../../shared/domain/account';
import {
  APPLICATION_STATUS_RECRUITER_LABELS,
  type ApplicationActor,
  type ApplicationStatus,
  canMoveApplication,
} from '../../../shared/domain/application';
import { type ApplicationDoc, applicationSchema } from '../../../shared/schemas/application.schema';
import { clock } from '../clock';
import { refreshCvKeys } from '../cvtheque/scope';
import type { Queryable } from '../db/database';
import { recordFileRefs } from '../files/routes';
import type { SyncEngine } from '../sync/engine';
import type { CollectionDef, Doc, PushDecision } from '../sync/types';

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

/** Removes an application from every replica: a tombstone without content, and no file references. */
export async function eraseApplication(
  tx: Queryable,
  engine: SyncEngine,
  doc: ApplicationDoc,
): Promise<void> {
  await engine.write(tx, applicationsCollection, doc as unknown as Doc, true);
  await recordFileRefs(tx, 'applications', doc.id, []);
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
    return [`org:${String(doc.organisationId)}`];
  },
  tombstone: applicationTombstone,
  async decide({ tx, user, now }, masterDoc, incomingDoc, incomingDeleted) {
    const master = masterDoc as unknown as ApplicationDoc | null;
    const incoming = incomingDoc as unknown as ApplicationDoc;
    if (!master) {
      return refuse(
        'Candidature refusée',
        'Les candidatures naissent sur le portail candidat : leur saisie depuis le poste de travail n’est pas encore ouverte.',
      );
    }
    if (incomingDeleted) {
      return refuse(
        'Suppression refusée',
        'Une candidature ne se supprime pas : archivez-la. Seul le candidat peut effacer ses données.',
      );
    }
    if (!(await mayHandle(tx, user, master))) {
      return refuse(
        'Modification refusée',
        'Seuls le recruteur qui a publié l’offre, ses co-recruteurs et les administrateurs de l’organisation traitent ses candidatures.',
      );
    }
    let next: ApplicationDoc = master;
    const to = incoming.status as ApplicationStatus;
    if (to !== master.status) {
      if (!canMoveApplication(master.status as ApplicationStatus, to, 'recruteur')) {
        return refuse(
          'Changement de statut refusé',
          `Une candidature « ${APPLICATION_STATUS_RECRUITER_LABELS[master.status as ApplicationStatus]} » ne peut pas passer à « ${APPLICATION_STATUS_RECRUITER_LABELS[to]} ».`,
          'status',
        );
      }
      next = moved(
        master,
        to,
        { kind: 'recruteur', id: user.id, name: `${user.firstName} ${user.lastName}` },
        now,
      );
    }
    const reason = typeof incoming.refusalReason === 'string' ? incoming.refusalReason.trim() : '';
    if (reason !== (master.refusalReason ?? '')) {
      next = { ...next, updatedAt: now.toISOString() };
      if (reason) next.refusalReason = reason;
      else delete next.refusalReason;
    }
    await recordFileRefs(tx, 'applications', next.id, applicationFiles(next));
    return { kind: 'write', doc: next as unknown as Doc };
  },
};
