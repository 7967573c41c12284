import { describe, expect, it } from 'vitest';
import type { AnyDoc } from './fault-types';
import { unsettled } from './faults';

const app = { id: 'a1', status: 'nouvelle', updatedAt: '2026-12-06T05:07:00.492Z' } as AnyDoc;
const notice = { id: 'n1', userId: 'u2', documentId: 'a1', title: 'Refus incomplet' } as AnyDoc;
const state = (docs: Record<string, AnyDoc[]>) => ({
  transport: Object.fromEntries(
    Object.entries(docs).map(([name, list]) => [name, new Map(list.map((d) => [d.id, d]))]),
  ),
});
const station = (replica: Record<string, AnyDoc[]>, pending = 0) => ({
  name: 'transport',
  replica,
  pending,
  pendingKeys: pending ? ['applications/a1'] : [],
});

describe('the calm spell of the fault campaign is over only when the replicas equal the server', () => {
  it('a replica equal to the server: settled', () => {
    const server = state({ applications: [app], notices: [notice] });
    expect(unsettled([station({ applications: [app], notices: [notice] })], server)).toEqual([]);
  });

  it('a refusal answered while the calm began: its notice, committed between the two reads, is waited for', () => {
    // Found by the campaign (issue 9): the server was read, then a push answered as refused (its
    // notice committed with the answer), then the replica dumped (the answer applied, the notice not
    // streamed yet). Compared with that earlier read, the replica matched and the move looked neither
    // kept nor told; the campaign now reads the server after the dump.
    const readBefore = state({ applications: [app], notices: [] });
    const readAfter = state({ applications: [app], notices: [notice] });
    const replica = { applications: [app], notices: [] };
    expect(unsettled([station(replica)], readBefore)).toEqual([]);
    const why = unsettled([station(replica)], readAfter);
    expect(why).toEqual(['transport : notices/n1 absent du poste']);
  });

  it('a change still pending or a replica behind the server: not settled', () => {
    const server = state({ applications: [app], notices: [] });
    expect(unsettled([station({ applications: [app], notices: [] }, 1)], server)[0]).toContain(
      '1 modification(s) en attente',
    );
    const moved = { ...app, status: 'refusee' } as AnyDoc;
    expect(unsettled([station({ applications: [moved], notices: [] })], server)[0]).toContain(
      'applications/a1',
    );
  });
});
