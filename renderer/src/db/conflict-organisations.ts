import type { OrganisationDoc } from '../../../shared/schemas';
import { type ConflictInput, deepEqual, type WithDeleted } from './conflict';
import { stripLocal } from './local-keys';

/** The fields an organisation's administrators edit; everything else belongs to the server. */
export const ORGANISATION_IDENTITY_FIELDS = [
  'name',
  'subtype',
  'siret',
  'nafCode',
  'sizeBand',
  'sector',
  'phone',
  'email',
  'address',
] as const;

/**
 * Organisations: the master wins (DESIGN §4). Members, invitations, verification, kind and parent
 * always come from the server; a refused edit (the master did not move) is dropped. The only local
 * change kept is an identity field the user changed while the server left that same field alone
 * (another change of the document, such as a new member, must not erase the administrator's edit);
 * the server checks it again when it is pushed.
 */
export function resolveOrganisationConflict(
  input: ConflictInput<OrganisationDoc>,
): WithDeleted<OrganisationDoc> {
  const master = stripLocal(input.realMasterState);
  const assumed = input.assumedMasterState ? stripLocal(input.assumedMasterState) : undefined;
  const mine = stripLocal(input.newDocumentState);
  if (master._deleted || !assumed || mine._deleted) return master;
  if (deepEqual(master, assumed)) return master;
  const result = { ...master } as Record<string, unknown>;
  const m = mine as Record<string, unknown>;
  const a = assumed as Record<string, unknown>;
  const r = master as Record<string, unknown>;
  for (const field of ORGANISATION_IDENTITY_FIELDS) {
    const userChanged = !deepEqual(a[field], m[field]);
    const serverChanged = !deepEqual(a[field], r[field]);
    if (!userChanged || serverChanged) continue;
    if (m[field] === undefined) delete result[field];
    else result[field] = m[field];
  }
  return result as WithDeleted<OrganisationDoc>;
}
