import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_SIZE,
  MIN_WINDOW_SIZE,
  restoreWindowState,
  serializeWindowState,
} from './window-state';

const laptop = { x: 0, y: 0, width: 1920, height: 1040 };
const rightScreen = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('restoreWindowState', () => {
  it('uses the default size, centred, without a saved state or with a damaged one', () => {
    const expected = { ...DEFAULT_WINDOW_SIZE, maximized: false };
    expect(restoreWindowState(null, [laptop])).toEqual(expected);
    expect(restoreWindowState('{oups', [laptop])).toEqual(expected);
    expect(restoreWindowState('[1,2]', [laptop])).toEqual(expected);
    expect(restoreWindowState('{"width":"grand","x":null}', [laptop])).toEqual(expected);
  });

  it('round-trips a saved state that is visible', () => {
    const saved = serializeWindowState({ x: 2000, y: 100, width: 1600, height: 1000 }, true);
    expect(restoreWindowState(saved, [laptop, rightScreen])).toEqual({
      x: 2000,
      y: 100,
      width: 1600,
      height: 1000,
      maximized: true,
    });
  });

  it('drops the position when the screen it was on is gone', () => {
    const saved = serializeWindowState({ x: 2000, y: 100, width: 1600, height: 1000 }, false);
    const state = restoreWindowState(saved, [laptop]);
    expect(state.x).toBeUndefined();
    expect(state.y).toBeUndefined();
    expect(state).toMatchObject({ width: 1600, height: 1000 });
  });

  it('drops a position that leaves only a sliver on screen', () => {
    const saved = serializeWindowState({ x: 1900, y: 1030, width: 1000, height: 700 }, false);
    expect(restoreWindowState(saved, [laptop]).x).toBeUndefined();
  });

  it('clamps sizes between the minimum and the largest screen', () => {
    expect(restoreWindowState('{"width":10,"height":10}', [laptop])).toMatchObject(MIN_WINDOW_SIZE);
    expect(restoreWindowState('{"width":99999,"height":99999}', [laptop, rightScreen])).toMatchObject({
      width: 2560,
      height: 1400,
    });
  });
});
