/**
 * Saved CV lists (DESIGN §4 `cvLists`; seed 001 « CV sauvegardés »): the replicated collection
 * `cvLists`, table `cv_lists`.
 *
 * Audience: `user:<owner>` for a private list, `org:<organisation>` for a list shared with the
 * organisation. Rights: only members of a CVthèque organisation (employer, agency, prescriber,
 * training) write lists of their organisation; the owner changes a private list, any member a
 * shared one; only the owner shares, unshares or deletes it.
 *
 * A push is merged with the master rather than refused (`mergeCvLists`: per CV the latest
 * addition and removal), so nobody's additions or removals are lost. After a write, the CVs that
 * joined or left the list get their audience recomputed (H-A's `refreshCvKeys`: a CV in a list
 * stays on the replicas of the list's readers).
 */
import type { SessionUser } from '../../../shared/domain/account';
import {
  activeCvIds,
  changedCvIds,
  mergeCvLists,
  normaliseEntries,
  validateCvListName,
} from '../../../shared/domain/cv-lists';
import { type CvListDoc, cvListSchema } from '../../../shared/schemas/cv-list.schema';
import type { FieldError } from '../../../shared/sync/errors';
import type { Queryable } from '../db/database';
import type { SyncEngine } from '../sync/engine';
import type { CollectionDef, Doc, NoticeDraft, PushDecision } from '../sync/types';

/** Organisation kinds whose members use the CVthèque (DESIGN §6). */
export const CVTHEQUE_KINDS = ['employer', 'agency', 'prescriber', 'training'] as const;

export function cvthequeMembership(user: SessionUser, organisationId: string) {
  return user.memberships.find(
    (m) => m.organisationId === organisationId && (CVTHEQUE_KINDS as readonly string[]).includes(m.kind),
  );
}

export function cvListKeys(doc: Pick<CvListDoc, 'shared' | 'ownerId' | 'organisationId'>): string[] {
  return doc.shared ? [`org:${doc.organisationId}`] : [`user:${doc.ownerId}`];
}

export function cvListTombstone(id: string): Doc {
  return {
    id,
    organisationId: '',
    ownerId: '',
    name: '',
    shared: false,
    entries: [],
    renamedAt: '',
    createdAt: '',
    updatedAt: '',
  };
}

/** Client clocks may run ahead: no date of a list is later than the server's now. */
function clampDates(doc: CvListDoc, now: Date): CvListDoc {
  const limit = now.getTime() + 60_000;
  const iso = now.toISOString();
  // Canonical ISO dates (what the CVs' audience compares as text), none later than now.
  const c = (d: string) => {
    const t = Date.parse(d);
    return !Number.isFinite(t) || t > limit ? iso : new Date(t).toISOString();
  };
  return {
    ...doc,
    entries: doc.entries.map((e) => ({
      ...e,
      addedAt: c(e.addedAt),
      ...(e.removedAt !== undefined ? { removedAt: c(e.removedAt) } : {}),
    })),
    renamedAt: c(doc.renamedAt),
  };
}

function refuse(title: string, message: string, fields?: FieldError[]): PushDecision {
  return { kind: 'refuse', refusal: { title, message, ...(fields ? { fields } : {}) } };
}

const NOT_MEMBER =
  'Seuls les membres d’un employeur, d’une agence, d’un prescripteur ou d’un organisme de formation enregistrent des listes de CV pour leur organisation.';

/**
 * The CVs whose audience changes with this write: those that joined or left the list, and all of
 * its CVs when it was shared, unshared or deleted (its readers change).
 */
export function cvIdsToRefresh(
  master: CvListDoc | null,
  next: CvListDoc | null,
  masterDeleted = false,
): string[] {
  const before = master && !masterDeleted ? master : null;
  const ids = new Set(changedCvIds(before, next));
  if (before && (!next || before.shared !== next.shared || before.ownerId !== next.ownerId)) {
    for (const id of activeCvIds(before)) ids.add(id);
    if (next) for (const id of activeCvIds(next)) ids.add(id);
  }
  return [...ids].sort();
}

/**
 * Recomputes the audience of CVs after a list write (a CV in a saved list reaches the list's
 * readers even outside their CVthèque scope).
 *
 * ▶ CALL SITE for H-A's `refreshCvKeys(tx, engine, cvIds)` (`sync-server/src/cvtheque/scope.ts`).
 */
export type RefreshCvKeys = (tx: Queryable, engine: SyncEngine, cvIds: string[]) => Promise<void>;

/**
 * The `cvLists` collection. `engine` is the sync engine it belongs to (the list is written before
 * the CVs' audience is recomputed from `cv_lists`); `refreshCvKeys` the audience refresh.
 */
export function createCvListsCollection(
  engine: () => SyncEngine,
  refreshCvKeys: RefreshCvKeys | null,
): CollectionDef {
  const def: CollectionDef = {
    name: 'cvLists',
    table: 'cv_lists',
    version: cvListSchema.version,
    schema: cvListSchema,
    keysFor(doc) {
      return cvListKeys(doc as unknown as CvListDoc);
    },
    tombstone: cvListTombstone,
    async decide(ctx, masterDoc, incomingDoc, incomingDeleted) {
      const { user, now, tx } = ctx;
      const master = masterDoc as unknown as CvListDoc | null;
      const incoming = incomingDoc as unknown as CvListDoc;
      const nowIso = now.toISOString();
      const notices: NoticeDraft[] = [];

      const decided = async (doc: CvListDoc, deleted: boolean): Promise<PushDecision> => {
        const ids = cvIdsToRefresh(master, deleted ? null : doc);
        if (refreshCvKeys && ids.length > 0) {
          // The list's new state first, so the refresh reads it (the engine writes it again).
          await engine().write(tx, def, doc as unknown as Doc, deleted, {
            previousKeys: cvListKeys(doc),
            notify: false,
          });
          await refreshCvKeys(tx, engine(), ids);
        }
        return {
          kind: 'write',
          doc: doc as unknown as Doc,
          deleted,
          ...(notices.length ? { notices } : {}),
        };
      };

      if (incomingDeleted) {
        if (!master) {
          // Created and deleted offline before it reached the server.
          if (!cvthequeMembership(user, incoming.organisationId))
            return refuse('Suppression refusée', NOT_MEMBER);
          return decided(incoming, true);
        }
        if (master.ownerId !== user.id) {
          return refuse(
            'Suppression refusée',
            `Seule la personne qui a créé la liste « ${master.name} » peut la supprimer.`,
          );
        }
        return decided(master, true);
      }

      const nameErrors = validateCvListName(incoming.name);
      if (nameErrors.length > 0)
        return refuse(
          'Liste refusée',
          'Le nom de la liste n’est pas valide : elle n’a pas été enregistrée.',
          nameErrors,
        );

      if (!master) {
        if (!cvthequeMembership(user, incoming.organisationId)) {
          return refuse('Organisation non autorisée', NOT_MEMBER, [
            { field: 'organisationId', message: 'Vous n’êtes pas membre de cette organisation.' },
          ]);
        }
        const clean = clampDates(incoming, now);
        const doc: CvListDoc = {
          ...clean,
          name: incoming.name.trim(),
          // A list is its creator's: whoever pushes it first.
          ownerId: user.id,
          entries: normaliseEntries(clean.entries),
          createdAt:
            clean.createdAt && Date.parse(clean.createdAt) <= now.getTime() ? clean.createdAt : nowIso,
          updatedAt: nowIso,
        };
        return decided(doc, false);
      }

      const isOwner = master.ownerId === user.id;
      if (!cvthequeMembership(user, master.organisationId) || (!isOwner && !master.shared)) {
        return refuse(
          'Modification refusée',
          `Vous ne pouvez pas modifier la liste « ${master.name} » : seule la personne qui l’a créée la modifie, ou les membres de son organisation quand elle est partagée.`,
        );
      }
      const clean = clampDates(
        { ...incoming, id: master.id, organisationId: master.organisationId, ownerId: master.ownerId },
        now,
      );
      let merged = mergeCvLists(master, { ...clean, entries: normaliseEntries(clean.entries) });
      if (!isOwner && merged.shared !== master.shared) {
        merged = { ...merged, shared: master.shared };
        notices.push({
          userId: user.id,
          kind: 'information',
          collection: 'cvLists',
          documentId: master.id,
          title: 'Partage inchangé',
          message: `Seule la personne qui a créé la liste « ${master.name} » peut changer son partage : vos autres modifications sont enregistrées.`,
        });
      }
      merged = { ...merged, name: merged.name.trim(), updatedAt: nowIso };
      return decided(merged, false);
    },
  };
  return def;
}
