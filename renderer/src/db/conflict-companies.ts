import type { Membership } from '../../../shared/domain/account';
import { COMPANY_FIXED_FIELDS } from '../../../shared/domain/company-profile';
import type { CompanyDoc } from '../../../shared/schemas';
import { type ConflictInput, changedKeys, deepEqual, type WithDeleted } from './conflict';
import { stripLocal } from './local-keys';

/**
 * Company profiles (DESIGN §4): « merge only the fields this user changed and may change, on top
 * of the master ». Pure function; RxDB calls it through the collection's conflict handler.
 *
 * - The master is the base. A deleted master, a push without an assumed state, or a master that
 *   did not move (the server refused the change) is taken as it is.
 * - Nothing is re-applied for a user who may not edit the profile (neither its creator nor an
 *   administrator of its organisation): the server would only refuse it again.
 * - Server-owned fields (`createdBy`, `createdAt`, `updatedAt`) and the fixed ones (`id`,
 *   `organisationId`) always come from the master.
 * - Other fields the user changed (their state versus the master they started from) are applied
 *   on top of the master; `links` network by network; `jobs` (fiches de poste) by id: the user's
 *   edits of a job field by field, their additions appended, their removals applied unless someone
 *   else changed that job meanwhile. A local deletion of the whole profile is not re-applied on a
 *   master that moved: the user sees the new version and decides again.
 */

export type MayEditCompany = (master: CompanyDoc) => boolean;

const FIXED = new Set<string>([...COMPANY_FIXED_FIELDS, '_deleted', '_meta', '_rev', '_attachments']);

type Job = CompanyDoc['jobs'][number];

function setOrDelete(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function mergeLinks(
  base: CompanyDoc['links'],
  master: CompanyDoc['links'],
  mine: CompanyDoc['links'],
): CompanyDoc['links'] | undefined {
  const b = (base ?? {}) as Record<string, unknown>;
  const m = (mine ?? {}) as Record<string, unknown>;
  const out = { ...(master ?? {}) } as Record<string, unknown>;
  for (const key of changedKeys(b, m)) setOrDelete(out, key, m[key]);
  return Object.keys(out).length > 0 ? (out as CompanyDoc['links']) : undefined;
}

export function mergeJobs(base: readonly Job[], master: readonly Job[], mine: readonly Job[]): Job[] {
  const baseById = new Map(base.map((j) => [j.id, j]));
  const mineById = new Map(mine.map((j) => [j.id, j]));
  const masterIds = new Set(master.map((j) => j.id));
  const out: Job[] = [];
  for (const job of master) {
    const before = baseById.get(job.id);
    const after = mineById.get(job.id);
    if (before && !after) {
      // Removed by the user: gone, unless someone else changed it meanwhile.
      if (!deepEqual(before, job)) out.push(job);
      continue;
    }
    if (before && after && !deepEqual(before, after)) {
      const merged = { ...job } as Record<string, unknown>;
      const mineRecord = after as Record<string, unknown>;
      for (const key of changedKeys(before, after)) {
        if (key === 'id' || key === 'createdAt') continue;
        setOrDelete(merged, key, mineRecord[key]);
      }
      out.push(merged as Job);
      continue;
    }
    out.push(job);
  }
  // Added by the user (a job the master has never had; one removed by someone else stays removed).
  for (const job of mine) if (!baseById.has(job.id) && !masterIds.has(job.id)) out.push(job);
  return out;
}

export function resolveCompanyConflict(
  input: ConflictInput<CompanyDoc>,
  mayEdit: MayEditCompany = () => true,
): WithDeleted<CompanyDoc> {
  const master = stripLocal(input.realMasterState);
  const assumed = input.assumedMasterState ? stripLocal(input.assumedMasterState) : undefined;
  const mine = stripLocal(input.newDocumentState);

  if (master._deleted || !assumed) return master;
  if (deepEqual(master, assumed)) return master;
  if (!mayEdit(master)) return master;

  const result = { ...master } as Record<string, unknown>;
  const mineRecord = mine as Record<string, unknown>;
  for (const key of changedKeys(assumed, mine)) {
    if (FIXED.has(key)) continue;
    if (key === 'links') setOrDelete(result, 'links', mergeLinks(assumed.links, master.links, mine.links));
    else if (key === 'jobs') result.jobs = mergeJobs(assumed.jobs ?? [], master.jobs ?? [], mine.jobs ?? []);
    else setOrDelete(result, key, mineRecord[key]);
  }
  return result as WithDeleted<CompanyDoc>;
}

/** The workstation's rule, as the server applies it: the profile's creator or an organisation admin. */
export function companyEditorCheck(
  user: { id: string; memberships: readonly Pick<Membership, 'organisationId' | 'role'>[] } | null,
): MayEditCompany {
  return (master) => {
    if (!user) return true; // Unknown user: let the server decide.
    if (master.createdBy && master.createdBy === user.id) return true;
    return user.memberships.some((m) => m.organisationId === master.organisationId && m.role === 'admin');
  };
}
