/**
 * Window size and position remembered between launches (`window-state.json` in userData).
 * Pure: parsing and fitting to the current screens are tested in Node; window.ts does the I/O.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  width: number;
  height: number;
  /** Absent: let the OS centre the window. */
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const;
export const MIN_WINDOW_SIZE = { width: 960, height: 600 } as const;
export const WINDOW_STATE_FILE_NAME = 'window-state.json';
/** How much of the window must remain on a screen to keep its saved position (enough to grab the title bar). */
const VISIBLE_MARGIN = { width: 120, height: 40 } as const;

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Reads a saved state (or null) and fits it to the current screens' work areas: sizes are clamped
 * between the minimum and the largest screen, and a position that would leave the window (nearly)
 * off-screen (a screen was unplugged) is dropped.
 */
export function restoreWindowState(savedText: string | null, workAreas: readonly Rect[]): WindowState {
  let saved: Record<string, unknown> = {};
  if (savedText) {
    try {
      const parsed: unknown = JSON.parse(savedText);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        saved = parsed as Record<string, unknown>;
    } catch {
      // A damaged file means default bounds, never a failed start.
    }
  }
  const maxWidth = Math.max(MIN_WINDOW_SIZE.width, ...workAreas.map((area) => area.width));
  const maxHeight = Math.max(MIN_WINDOW_SIZE.height, ...workAreas.map((area) => area.height));
  const clamp = (value: unknown, fallback: number, min: number, max: number) =>
    Math.round(Math.min(max, Math.max(min, isFiniteNumber(value) ? value : fallback)));
  const state: WindowState = {
    width: clamp(saved.width, DEFAULT_WINDOW_SIZE.width, MIN_WINDOW_SIZE.width, maxWidth),
    height: clamp(saved.height, DEFAULT_WINDOW_SIZE.height, MIN_WINDOW_SIZE.height, maxHeight),
    maximized: saved.maximized === true,
  };
  if (isFiniteNumber(saved.x) && isFiniteNumber(saved.y)) {
    const bounds = {
      x: Math.round(saved.x),
      y: Math.round(saved.y),
      width: state.width,
      height: state.height,
    };
    const visible = workAreas.some((area) => {
      const o = overlap(bounds, area);
      return o.width >= VISIBLE_MARGIN.width && o.height >= VISIBLE_MARGIN.height;
    });
    if (visible) {
      state.x = bounds.x;
      state.y = bounds.y;
    }
  }
  return state;
}

/** What window.ts writes when the window closes (normal bounds, i.e. not the maximised ones). */
export function serializeWindowState(bounds: Rect, maximized: boolean): string {
  return JSON.stringify({ ...bounds, maximized });
}
