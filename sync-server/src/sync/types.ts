import type { SessionUser } from '../../../shared/domain/account';
import type { FieldError } from '../../../shared/sync/errors';
import { sessionCvthequeKeys } from '../cvtheque/session-scope';
import type { Queryable } from '../db/database';

export type Doc = Record<string, unknown> & { id: string };

/** Why a pushed row was not written: becomes a notice for its author. */
export interface Refusal {
  title: string;
  message: string;
  fields?: FieldError[];
}

export type PushDecision =
  | { kind: 'write'; doc: Doc; deleted?: boolean; notices?: NoticeDraft[] }
  | { kind: 'refuse'; refusal: Refusal };

export interface NoticeDraft {
  userId: string;
  kind: 'refus' | 'conflit' | 'moderation' | 'information';
  collection?: string;
  documentId?: string;
  title: string;
  message: string;
  fields?: FieldError[];
}

export interface PushContext {
  tx: Queryable;
  user: SessionUser;
  now: Date;
}

/** How the server replicates one collection. */
export interface CollectionDef {
  name: string;
  table: string;
  version: number;
  schema: object;
  /** Audience keys of a document: who may pull it. */
  keysFor(doc: Doc): string[];
  /** A schema-valid tombstone that carries nothing but the primary key. */
  tombstone(id: string): Doc;
  /**
   * Decides what to write for a pushed row whose schema is valid and whose assumed
   * master matched. `master` is null for a new document.
   */
  decide(
    ctx: PushContext,
    master: Doc | null,
    incoming: Doc,
    incomingDeleted: boolean,
  ): Promise<PushDecision>;
}

/** Audience keys of a user: a document is visible when the two sets meet. */
export function userKeys(user: SessionUser): string[] {
  const keys = new Set<string>([`user:${user.id}`]);
  for (const m of user.memberships) {
    // Every member sees its organisation (and, for employers and agencies, their offers and profiles).
    keys.add(`org:${m.organisationId}`);
    if (m.kind === 'platform') keys.add('moderation');
    if (m.kind === 'prescriber') keys.add('published');
    // The CVthèque (DESIGN §6): recruiters, advisors and training bodies. No row carries
    // « cvtheque » any more (issue 5): it only brings the exits of rows that left it.
    if (m.kind === 'employer' || m.kind === 'agency' || m.kind === 'prescriber' || m.kind === 'training')
      keys.add('cvtheque');
  }
  // Their organisations' CVthèque scopes (« cvt:<département>:<domain> », cvtheque/scope.ts).
  for (const k of sessionCvthequeKeys(user)) keys.add(k);
  return [...keys];
}
