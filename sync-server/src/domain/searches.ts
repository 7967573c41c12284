/**
 * The search history (DESIGN §4 `searches`; seed 001 « Historique de recherche »): the replicated
 * collection `searches`, table `searches`, audience `user:<owner>` (nobody else sees a user's
 * searches). The owner writes them from the workstation; a push is merged with the master, latest
 * wins per field (`mergeSearches`); the alert fields (`lastAlertAt`, `lastAlertCount`) belong to
 * the server (`jobs/cv-search-alerts.ts`) and always come from the master.
 */
import {
  type CvSearchCriteria,
  canonicalCvCriteria,
  validateCvCriteria,
} from '../../../shared/domain/cv-search';
import { mergeSearches } from '../../../shared/domain/searches';
import { type SearchDoc, searchSchema } from '../../../shared/schemas/search.schema';
import type { FieldError } from '../../../shared/sync/errors';
import type { CollectionDef, Doc, PushDecision } from '../sync/types';
import { cvthequeMembership } from './cv-lists';

export function searchTombstone(id: string): Doc {
  return {
    id,
    ownerId: '',
    organisationId: '',
    kind: 'cv',
    criteria: {},
    label: '',
    lastRunAt: '',
    runCount: 0,
    resultCount: 0,
    favourite: false,
    createdAt: '',
    updatedAt: '',
  };
}

function refuse(title: string, message: string, fields?: FieldError[]): PushDecision {
  return { kind: 'refuse', refusal: { title, message, ...(fields ? { fields } : {}) } };
}

/** Dates of a client no later than the server's now (a minute of clock drift allowed). */
function clampDates(doc: SearchDoc, now: Date): SearchDoc {
  const limit = now.getTime() + 60_000;
  const iso = now.toISOString();
  const c = (d: string) => {
    const t = Date.parse(d);
    return !Number.isFinite(t) || t > limit ? iso : new Date(t).toISOString();
  };
  return {
    ...doc,
    lastRunAt: c(doc.lastRunAt),
    createdAt: c(doc.createdAt),
    ...(doc.favouriteAt !== undefined ? { favouriteAt: c(doc.favouriteAt) } : {}),
  };
}

function withoutAlertFields(doc: SearchDoc): SearchDoc {
  const { lastAlertAt: _a, lastAlertCount: _c, ...rest } = doc;
  return rest;
}

export const searchesCollection: CollectionDef = {
  name: 'searches',
  table: 'searches',
  version: searchSchema.version,
  schema: searchSchema,
  keysFor(doc) {
    return [`user:${(doc as unknown as SearchDoc).ownerId}`];
  },
  tombstone: searchTombstone,
  async decide({ tx, user, now }, masterDoc, incomingDoc, incomingDeleted) {
    const master = masterDoc as unknown as SearchDoc | null;
    const incoming = incomingDoc as unknown as SearchDoc;
    const nowIso = now.toISOString();

    if (incomingDeleted) {
      if (master && master.ownerId !== user.id)
        return refuse('Suppression refusée', 'Cette recherche appartient à une autre personne.');
      if (!master && incoming.ownerId !== user.id)
        return refuse('Suppression refusée', 'Cette recherche appartient à une autre personne.');
      // Its alerts go with it (a search starred again later alerts anew).
      await tx.query('delete from cv_search_alerts where search_id = $1', [incoming.id]);
      return { kind: 'write', doc: (master ?? incoming) as unknown as Doc, deleted: true };
    }

    if (incoming.ownerId !== user.id || (master && master.ownerId !== user.id)) {
      return refuse('Recherche refusée', 'Une recherche ne s’enregistre que dans votre propre historique.', [
        { field: 'ownerId', message: 'Votre identifiant est attendu.' },
      ]);
    }
    const organisationId = incoming.organisationId;
    if (!cvthequeMembership(user, organisationId)) {
      return refuse(
        'Recherche refusée',
        'Seuls les membres d’un employeur, d’une agence, d’un prescripteur ou d’un organisme de formation cherchent dans la CVthèque.',
        [{ field: 'organisationId', message: 'Vous n’êtes pas membre de cette organisation.' }],
      );
    }
    const criteria = incoming.criteria as CvSearchCriteria;
    const errors = validateCvCriteria(criteria).map((e) => ({
      field: `criteria.${e.field}`,
      message: e.message,
    }));
    if (errors.length > 0)
      return refuse('Recherche refusée', 'Les critères de la recherche ne sont pas valides.', errors);

    const clean = clampDates(
      { ...withoutAlertFields(incoming), criteria: canonicalCvCriteria(criteria) as SearchDoc['criteria'] },
      now,
    );
    if (!master) {
      return {
        kind: 'write',
        doc: { ...clean, createdAt: clean.createdAt || nowIso, updatedAt: nowIso } as unknown as Doc,
      };
    }
    const merged = withoutAlertFields(
      mergeSearches(master, { ...clean, id: master.id, ownerId: master.ownerId }),
    );
    const doc: SearchDoc = {
      ...merged,
      ...(master.lastAlertAt !== undefined ? { lastAlertAt: master.lastAlertAt } : {}),
      ...(master.lastAlertCount !== undefined ? { lastAlertCount: master.lastAlertCount } : {}),
      updatedAt: nowIso,
    };
    return { kind: 'write', doc: doc as unknown as Doc };
  },
};
