import { describe, expect, it } from 'vitest';
import { recordSearch, setFavourite } from '../../../shared/domain/searches';
import type { SearchDoc } from '../../../shared/schemas';
import type { WithDeleted } from './conflict';
import { resolveSearchConflict } from './conflict-searches';

const T0 = '2026-03-01T10:00:00.000Z';
const at = (m: number) => new Date(Date.parse(T0) + m * 60_000).toISOString();
const live = (s: SearchDoc): WithDeleted<SearchDoc> => ({ ...s, _deleted: false });
const run = {
  ownerId: 'u1',
  organisationId: 'o1',
  criteria: { keywords: 'serveur' },
  resultCount: 2,
  source: 'local' as const,
};
const base = recordSearch(null, run, at(1));

describe('search history conflicts: latest wins per field', () => {
  it('merges runs and favourite; the alert fields always come from the master', () => {
    const master = live({
      ...recordSearch(base, { ...run, resultCount: 8 }, at(2)),
      lastAlertAt: at(3),
      lastAlertCount: 4,
    });
    const mine = live({
      ...setFavourite(recordSearch(base, { ...run, resultCount: 6 }, at(5)), true, at(5)),
      lastAlertAt: at(9),
      lastAlertCount: 99,
    });
    const result = resolveSearchConflict({
      assumedMasterState: live(base),
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(result).toMatchObject({
      resultCount: 6,
      lastRunAt: at(5),
      runCount: 2,
      favourite: true,
      favouriteAt: at(5),
      lastAlertAt: at(3),
      lastAlertCount: 4,
      _deleted: false,
    });
    const noAlert = resolveSearchConflict({
      assumedMasterState: live(base),
      realMasterState: live(base),
      newDocumentState: mine,
    });
    expect('lastAlertAt' in noAlert).toBe(false);
  });

  it('the same search recorded on two devices (no assumed master) merges; a refused change gives way', () => {
    const other = live(setFavourite(recordSearch(base, { ...run, resultCount: 4 }, at(2)), true, at(2)));
    const mine = live(recordSearch(null, { ...run, resultCount: 7 }, at(3)));
    expect(mine.id).toBe(other.id);
    expect(resolveSearchConflict({ realMasterState: other, newDocumentState: mine })).toMatchObject({
      favourite: true,
      resultCount: 7,
      lastRunAt: at(3),
      runCount: 2,
      _deleted: false,
    });
    const refused = live({ ...recordSearch(base, run, at(4)), organisationId: 'autre' });
    expect(
      resolveSearchConflict({
        assumedMasterState: live(base),
        realMasterState: live(base),
        newDocumentState: refused,
      }),
    ).toEqual(live(base));
  });

  it('deletions: the server’s stands; this device’s is kept unless the server refused it', () => {
    const gone = { ...live(base), _deleted: true };
    expect(
      resolveSearchConflict({
        assumedMasterState: live(base),
        realMasterState: gone,
        newDocumentState: live(base),
      }),
    ).toEqual(gone);
    const moved = live(recordSearch(base, run, at(3)));
    expect(
      resolveSearchConflict({
        assumedMasterState: live(base),
        realMasterState: moved,
        newDocumentState: gone,
      })._deleted,
    ).toBe(true);
    expect(
      resolveSearchConflict({
        assumedMasterState: live(base),
        realMasterState: live(base),
        newDocumentState: gone,
      }),
    ).toEqual(live(base));
  });
});
