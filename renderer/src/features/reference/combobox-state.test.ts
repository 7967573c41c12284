import { describe, expect, it } from 'vitest';
import { CLOSED, type ComboboxState, comboboxReduce, listStatusMessage } from './combobox-state';

const key = (
  state: ComboboxState,
  k: string,
  count: number,
  extra: { altKey?: boolean; hasText?: boolean } = {},
) => comboboxReduce(state, { type: 'key', key: k, count, ...extra });

describe('comboboxReduce', () => {
  it('opens on typing with no active option', () => {
    expect(comboboxReduce(CLOSED, { type: 'typed' })).toEqual({
      state: { open: true, active: -1 },
      handled: false,
    });
  });

  it('opens with the arrows on the first or last option, Alt+↓ without moving', () => {
    expect(key(CLOSED, 'ArrowDown', 3).state).toEqual({ open: true, active: 0 });
    expect(key(CLOSED, 'ArrowUp', 3).state).toEqual({ open: true, active: 2 });
    expect(key(CLOSED, 'ArrowDown', 3, { altKey: true }).state).toEqual({ open: true, active: -1 });
    expect(key(CLOSED, 'ArrowDown', 0).state).toEqual({ open: true, active: -1 });
    expect(key(CLOSED, 'ArrowDown', 3).handled).toBe(true);
  });

  it('moves the active option with wrapping', () => {
    const open = { open: true, active: -1 };
    expect(key(open, 'ArrowDown', 3).state.active).toBe(0);
    expect(key({ open: true, active: 0 }, 'ArrowDown', 3).state.active).toBe(1);
    expect(key({ open: true, active: 2 }, 'ArrowDown', 3).state.active).toBe(0);
    expect(key({ open: true, active: 0 }, 'ArrowUp', 3).state.active).toBe(2);
    expect(key(open, 'ArrowUp', 3).state.active).toBe(2);
    expect(key({ open: true, active: 1 }, 'ArrowUp', 3).state.active).toBe(0);
    expect(key({ open: true, active: 1 }, 'ArrowDown', 0).state.active).toBe(-1);
  });

  it('picks the active option on Enter, or the first one, and closes', () => {
    expect(key({ open: true, active: 1 }, 'Enter', 3)).toEqual({
      state: CLOSED,
      effect: { type: 'select', index: 1 },
      handled: true,
    });
    expect(key({ open: true, active: -1 }, 'Enter', 3).effect).toEqual({ type: 'select', index: 0 });
    expect(key({ open: true, active: 7 }, 'Enter', 3).effect).toEqual({ type: 'select', index: 0 });
  });

  it('lets Enter submit the form when the list is closed, and swallows it on an empty open list', () => {
    expect(key(CLOSED, 'Enter', 3)).toEqual({ state: CLOSED, handled: false });
    expect(key({ open: true, active: -1 }, 'Enter', 0)).toEqual({
      state: { open: true, active: -1 },
      handled: true,
    });
  });

  it('closes on Escape, then clears the text, then lets Escape through', () => {
    expect(key({ open: true, active: 1 }, 'Escape', 3, { hasText: true })).toEqual({
      state: CLOSED,
      handled: true,
    });
    expect(key(CLOSED, 'Escape', 3, { hasText: true })).toEqual({
      state: CLOSED,
      effect: { type: 'clear' },
      handled: true,
    });
    expect(key(CLOSED, 'Escape', 3, { hasText: false })).toEqual({ state: CLOSED, handled: false });
  });

  it('closes on Tab without stopping it, ignores other keys, follows the pointer', () => {
    expect(key({ open: true, active: 1 }, 'Tab', 3)).toEqual({ state: CLOSED, handled: false });
    expect(key({ open: true, active: 1 }, 'a', 3)).toEqual({
      state: { open: true, active: 1 },
      handled: false,
    });
    expect(comboboxReduce({ open: true, active: 0 }, { type: 'hover', index: 2 }).state.active).toBe(2);
    expect(comboboxReduce({ open: true, active: 0 }, { type: 'close' }).state).toEqual(CLOSED);
  });
});

describe('listStatusMessage', () => {
  const base = { open: true, query: 'lyon', count: 0, loading: false, unavailable: false };
  it('says how many suggestions there are, or why there are none', () => {
    expect(listStatusMessage({ ...base, count: 1 })).toMatch(/^1 suggestion\./);
    expect(listStatusMessage({ ...base, count: 5 })).toMatch(/^5 suggestions\./);
    expect(listStatusMessage(base)).toBe('Aucun résultat');
    expect(listStatusMessage({ ...base, loading: true })).toBe('Recherche en cours…');
    expect(listStatusMessage({ ...base, unavailable: true })).toMatch(/hors connexion/);
    expect(listStatusMessage({ ...base, open: false, count: 5 })).toBe('');
    expect(listStatusMessage({ ...base, query: ' ' })).toBe('');
  });
});
