import { describe, expect, it } from 'vitest';
import type { OrganisationDoc } from '../../../shared/schemas';
import type { WithDeleted } from './conflict';
import { resolveOrganisationConflict } from './conflict-organisations';

function org(patch: Partial<WithDeleted<OrganisationDoc>> = {}): WithDeleted<OrganisationDoc> {
  return {
    id: 'o1',
    kind: 'employer',
    name: 'Boulangeries Martin',
    siret: '73282932000074',
    verificationState: 'verifiee',
    members: [
      {
        accountId: 'a1',
        firstName: 'Claire',
        lastName: 'Martin',
        email: 'c@x.test',
        role: 'admin',
        joinedAt: 't',
      },
    ],
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    _deleted: false,
    ...patch,
  };
}

describe('organisation conflicts: the master wins', () => {
  it('takes the master when the server refused the change (the master did not move)', () => {
    const master = org();
    const mine = org({ name: 'Nom refusé', verificationState: 'en_attente' });
    expect(
      resolveOrganisationConflict({
        assumedMasterState: master,
        realMasterState: master,
        newDocumentState: mine,
      }),
    ).toEqual(master);
  });

  it('keeps an identity edit the server did not touch; server-owned fields come from the master', () => {
    const assumed = org();
    const newMember = {
      accountId: 'a2',
      firstName: 'Léa',
      lastName: 'Petit',
      email: 'l@x.test',
      role: 'member' as const,
      joinedAt: 't2',
    };
    const master = org({ members: [...assumed.members, newMember], updatedAt: '2025-01-02T00:00:00.000Z' });
    const mine = org({ phone: '04 68 00 00 00', members: [], verificationState: 'en_attente' });
    const result = resolveOrganisationConflict({
      assumedMasterState: assumed,
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(result).toEqual({ ...master, phone: '04 68 00 00 00' });
  });

  it('the master wins a field both sides changed, and deletions', () => {
    const assumed = org();
    const master = org({ name: 'Nom du serveur' });
    const mine = org({ name: 'Mon nom' });
    expect(
      resolveOrganisationConflict({
        assumedMasterState: assumed,
        realMasterState: master,
        newDocumentState: mine,
      }).name,
    ).toBe('Nom du serveur');
    const gone = { ...org({ name: '' }), _deleted: true };
    expect(
      resolveOrganisationConflict({
        assumedMasterState: assumed,
        realMasterState: gone,
        newDocumentState: mine,
      }),
    ).toEqual(gone);
    expect(resolveOrganisationConflict({ realMasterState: master, newDocumentState: mine })).toEqual(master);
  });
});
