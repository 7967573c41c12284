import { describe, expect, it } from 'vitest';
import {
  activeCvIds,
  addToList,
  newCvList,
  removeFromList,
  renameList,
} from '../../../shared/domain/cv-lists';
import type { CvListDoc } from '../../../shared/schemas';
import type { WithDeleted } from './conflict';
import { resolveCvListConflict } from './conflict-cv-lists';

const T0 = '2026-03-01T10:00:00.000Z';
const at = (m: number) => new Date(Date.parse(T0) + m * 60_000).toISOString();
const live = (l: CvListDoc): WithDeleted<CvListDoc> => ({ ...l, _deleted: false });
const base = addToList(
  newCvList({ id: 'l1', organisationId: 'o1', ownerId: 'u1', name: 'Serveurs', now: T0 }),
  ['a', 'b'],
  'u1',
  at(1),
);

describe('saved CV list conflicts: the two copies merge', () => {
  it('keeps this device’s additions and removals on top of the other device’s', () => {
    const master = live(removeFromList(addToList(base, ['c'], 'u2', at(2)), ['a'], at(3)));
    const mine = {
      ...live(removeFromList(addToList(base, ['d'], 'u1', at(4)), ['b'], at(5))),
      _meta: { lwt: 1 },
    } as WithDeleted<CvListDoc>;
    const result = resolveCvListConflict({
      assumedMasterState: live(base),
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(activeCvIds(result).sort()).toEqual(['c', 'd']);
    expect(result._deleted).toBe(false);
    expect('_meta' in result).toBe(false);
    expect(result.ownerId).toBe('u1');
  });

  it('takes the later rename', () => {
    const master = live(renameList(base, { name: 'Serveurs Narbonne' }, at(2)));
    const mine = live(renameList(base, { name: 'Serveurs été' }, at(3)));
    expect(
      resolveCvListConflict({
        assumedMasterState: live(base),
        realMasterState: master,
        newDocumentState: mine,
      }).name,
    ).toBe('Serveurs été');
  });

  it('a change the server refused (the master did not move) gives way to the master, never pushed again', () => {
    const mine = live(renameList(addToList(base, ['z'], 'u1', at(2)), { name: 'x'.repeat(100) }, at(2)));
    expect(
      resolveCvListConflict({
        assumedMasterState: live(base),
        realMasterState: live(base),
        newDocumentState: mine,
      }),
    ).toEqual(live(base));
  });

  it('a list deleted on the server stays deleted; a refused deletion is dropped', () => {
    const gone = { ...live(base), _deleted: true };
    expect(
      resolveCvListConflict({
        assumedMasterState: live(base),
        realMasterState: gone,
        newDocumentState: live(base),
      }),
    ).toEqual(gone);
    const mineGone = { ...live(base), _deleted: true };
    expect(
      resolveCvListConflict({
        assumedMasterState: live(base),
        realMasterState: live(base),
        newDocumentState: mineGone,
      }),
    ).toEqual(live(base));
    const moved = live(addToList(base, ['z'], 'u2', at(2)));
    expect(
      resolveCvListConflict({
        assumedMasterState: live(base),
        realMasterState: moved,
        newDocumentState: mineGone,
      })._deleted,
    ).toBe(true);
  });
});

describe('the workstation opens the CVthèque collections', () => {
  it('every replicated collection opens; a list and a search are written and validated locally', async () => {
    const { createRxDatabase } = await import('rxdb');
    const { getRxStorageMemory } = await import('rxdb/plugins/storage-memory');
    const { REPLICATED_SCHEMAS } = await import('../../../shared/schemas');
    const { collectionCreators } = await import('./collections');
    const { validateLocalWrites } = await import('./validate-storage');
    const db = await createRxDatabase({
      name: 'cvlists_open_1',
      storage: validateLocalWrites(
        getRxStorageMemory(),
        Object.values(REPLICATED_SCHEMAS).map((s) => s.title ?? ''),
      ),
    });
    try {
      await db.addCollections(collectionCreators);
      expect(Object.keys(db.collections).sort()).toEqual(Object.keys(REPLICATED_SCHEMAS).sort());
      await db.collections.cvLists!.insert(addToList(base, ['c'], 'u1', at(2)));
      await expect(
        db.collections.cvLists!.insert({ ...base, id: 'l2', name: 'x'.repeat(101) }),
      ).rejects.toThrow();
      const { recordSearch } = await import('../../../shared/domain/searches');
      const search = recordSearch(
        null,
        {
          ownerId: 'u1',
          organisationId: 'o1',
          criteria: { keywords: 'serveur', rqthOnly: true },
          resultCount: 1,
          source: 'local',
        },
        at(1),
      );
      await db.collections.searches!.insert(search);
      expect((await db.collections.searches!.findOne(search.id).exec())?.label).toBe('serveur, RQTH');
    } finally {
      await db.remove();
    }
  });
});
