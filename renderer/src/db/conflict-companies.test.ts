import { describe, expect, it } from 'vitest';
import type { CompanyDoc } from '../../../shared/schemas';
import type { WithDeleted } from './conflict';
import { companyEditorCheck, mergeJobs, resolveCompanyConflict } from './conflict-companies';

type Job = CompanyDoc['jobs'][number];

function job(id: string, patch: Partial<Job> = {}): Job {
  return { id, jobTitle: `Métier ${id}`, published: true, createdAt: '2025-01-01T00:00:00.000Z', ...patch };
}

function company(patch: Partial<WithDeleted<CompanyDoc>> = {}): WithDeleted<CompanyDoc> {
  return {
    id: 'c1',
    organisationId: 'org1',
    name: 'Boulangeries Martin',
    sector: 'C',
    address: { postalCode: '11000', city: 'Carcassonne' },
    published: false,
    jobs: [job('j1'), job('j2')],
    createdBy: 'u1',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    _deleted: false,
    ...patch,
  };
}

describe('resolveCompanyConflict', () => {
  it('takes a deleted master, a missing assumed state or a refused change as the master', () => {
    const deleted = company({ _deleted: true, name: '' });
    expect(
      resolveCompanyConflict({
        assumedMasterState: company(),
        realMasterState: deleted,
        newDocumentState: company({ name: 'Autre' }),
      }),
    ).toEqual(deleted);
    const master = company({ phone: '04 68 11 22 33' });
    expect(
      resolveCompanyConflict({ realMasterState: master, newDocumentState: company({ name: 'Autre' }) }),
    ).toEqual(master);
    const base = company();
    expect(
      resolveCompanyConflict({
        assumedMasterState: base,
        realMasterState: { ...base },
        newDocumentState: company({ name: 'Refusé' }),
      }),
    ).toEqual(base);
  });

  it('re-applies the fields the user changed on top of a master that moved', () => {
    const out = resolveCompanyConflict({
      assumedMasterState: company(),
      realMasterState: company({ phone: '04 68 11 22 33', updatedAt: '2025-02-01T00:00:00.000Z' }),
      newDocumentState: company({ name: 'Boulangeries Martin & fils', published: true }),
    });
    expect(out.name).toBe('Boulangeries Martin & fils');
    expect(out.published).toBe(true);
    expect(out.phone).toBe('04 68 11 22 33');
    expect(out.updatedAt).toBe('2025-02-01T00:00:00.000Z');
  });

  it('always takes server-owned and fixed fields from the master', () => {
    const out = resolveCompanyConflict({
      assumedMasterState: company(),
      realMasterState: company({ description: '<p>Serveur</p>', updatedAt: '2025-03-01T00:00:00.000Z' }),
      newDocumentState: company({
        createdBy: 'intrus',
        createdAt: '2030-01-01T00:00:00.000Z',
        updatedAt: '2030-01-01T00:00:00.000Z',
        organisationId: 'org2',
        email: 'rh@martin.fr',
      }),
    });
    expect(out.createdBy).toBe('u1');
    expect(out.createdAt).toBe('2025-01-01T00:00:00.000Z');
    expect(out.updatedAt).toBe('2025-03-01T00:00:00.000Z');
    expect(out.organisationId).toBe('org1');
    expect(out.email).toBe('rh@martin.fr');
    expect(out.description).toBe('<p>Serveur</p>');
  });

  it('removes an optional field the user cleared, keeps one they did not touch', () => {
    const out = resolveCompanyConflict({
      assumedMasterState: company({ phone: '04 68 11 22 33', email: 'a@b.fr' }),
      realMasterState: company({ phone: '04 68 11 22 33', email: 'a@b.fr', name: 'Nouveau nom' }),
      newDocumentState: company({ email: 'a@b.fr' }),
    });
    expect('phone' in out).toBe(false);
    expect(out.email).toBe('a@b.fr');
    expect(out.name).toBe('Nouveau nom');
  });

  it('merges links network by network', () => {
    const out = resolveCompanyConflict({
      assumedMasterState: company({ links: { website: 'https://a.fr', twitter: 'https://x.com/a' } }),
      realMasterState: company({
        links: {
          website: 'https://a.fr',
          twitter: 'https://x.com/a',
          linkedin: 'https://linkedin.com/company/a',
        },
      }),
      newDocumentState: company({ links: { website: 'https://www.a.fr' } }),
    });
    expect(out.links).toEqual({ website: 'https://www.a.fr', linkedin: 'https://linkedin.com/company/a' });
  });

  it('merges jobs by id: edits field by field, additions appended, removals applied', () => {
    const base = company({ jobs: [job('j1'), job('j2'), job('j3')] });
    const master = company({
      jobs: [job('j1', { description: 'Ajoutée par un collègue' }), job('j2'), job('j3'), job('j4')],
    });
    const mine = company({
      jobs: [job('j1', { published: false }), job('j3'), job('j5', { jobTitle: 'Nouveau métier' })],
    });
    const out = resolveCompanyConflict({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(out.jobs.map((j) => j.id)).toEqual(['j1', 'j3', 'j4', 'j5']);
    expect(out.jobs[0]).toEqual(job('j1', { description: 'Ajoutée par un collègue', published: false }));
  });

  it('keeps a job someone else changed even if the user removed it, and never revives one removed by someone else', () => {
    const base = company({ jobs: [job('j1'), job('j2')] });
    const master = company({ jobs: [job('j1', { jobTitle: 'Renommé' })] });
    const mine = company({ jobs: [job('j2', { published: false })] });
    const out = mergeJobs(base.jobs, master.jobs, mine.jobs);
    expect(out).toEqual([job('j1', { jobTitle: 'Renommé' })]);
  });

  it('does not re-apply a local deletion on a master that moved', () => {
    const master = company({ name: 'Renommée' });
    const out = resolveCompanyConflict({
      assumedMasterState: company(),
      realMasterState: master,
      newDocumentState: company({ _deleted: true }),
    });
    expect(out).toEqual(master);
  });

  it('re-applies nothing for a user who may not edit the profile', () => {
    const master = company({ phone: '04 68 11 22 33' });
    const args = {
      assumedMasterState: company(),
      realMasterState: master,
      newDocumentState: company({ name: 'Pas le droit' }),
    };
    const member = { id: 'u2', memberships: [{ organisationId: 'org1', role: 'member' as const }] };
    expect(resolveCompanyConflict(args, companyEditorCheck(member))).toEqual(master);
    const admin = { id: 'u3', memberships: [{ organisationId: 'org1', role: 'admin' as const }] };
    expect(resolveCompanyConflict(args, companyEditorCheck(admin)).name).toBe('Pas le droit');
    const creator = { id: 'u1', memberships: [{ organisationId: 'org1', role: 'member' as const }] };
    expect(resolveCompanyConflict(args, companyEditorCheck(creator)).name).toBe('Pas le droit');
    expect(resolveCompanyConflict(args, companyEditorCheck(null)).name).toBe('Pas le droit');
  });

  it('ignores RxDB bookkeeping', () => {
    const master = {
      ...company({ name: 'Serveur' }),
      _rev: '3-x',
      _meta: { lwt: 1 },
    } as WithDeleted<CompanyDoc>;
    const out = resolveCompanyConflict({
      assumedMasterState: { ...company(), _rev: '2-y' } as WithDeleted<CompanyDoc>,
      realMasterState: master,
      newDocumentState: { ...company({ phone: '04 68 11 22 33' }), _rev: '3-z' } as WithDeleted<CompanyDoc>,
    });
    expect(out).toEqual(company({ name: 'Serveur', phone: '04 68 11 22 33' }));
  });
});
