/**
 * The PDF viewer's zoom: fixed steps, « Ajuster à la largeur » (the page as wide as the viewer's
 * frame, the default on narrow screens and in narrow columns), and the keys + − 0.
 */

export const ZOOM_STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;
export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 4;

/** Screens up to this width (CSS pixels, the browser's zoom included) open PDFs fitted to the width. */
export const NARROW_SCREEN_QUERY = '(max-width: 1100px)';
/** So does a frame narrower than this (CSS pixels), e.g. a side panel. */
export const NARROW_FRAME_PX = 480;

/** A zoom: fitted to the frame's width, or a fixed scale (1 = the PDF's own size). */
export type Zoom = { fit: true } | { fit: false; scale: number };

/**
 * Zoom until the user chooses one: fitted to the width on a narrow screen or in a narrow frame,
 * 100 % otherwise (`frameWidth` 0: not measured yet).
 */
export function defaultZoom(narrowScreen: boolean, frameWidth: number): Zoom {
  return narrowScreen || (frameWidth > 0 && frameWidth < NARROW_FRAME_PX)
    ? { fit: true }
    : { fit: false, scale: 1 };
}

/**
 * The scale at which a page `pageWidth` wide (at scale 1) fills `frameWidth` (the frame's inner
 * width), rounded down to the percent so that no horizontal scroll bar appears; 1 when unknown.
 */
export function fitWidthScale(frameWidth: number, pageWidth: number): number {
  if (!(frameWidth > 0) || !(pageWidth > 0)) return 1;
  const scale = Math.floor((frameWidth / pageWidth) * 100) / 100;
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, scale));
}

/** The scale a zoom stands for, given the frame and the page. */
export function zoomScale(zoom: Zoom, frameWidth: number, pageWidth: number): number {
  return zoom.fit ? fitWidthScale(frameWidth, pageWidth) : zoom.scale;
}

/** The next step above (`in`) or below (`out`) the current scale; the same scale at either end. */
export function stepZoom(scale: number, direction: 'in' | 'out'): number {
  const eps = 0.005;
  if (direction === 'in') return ZOOM_STEPS.find((s) => s > scale + eps) ?? scale;
  return [...ZOOM_STEPS].reverse().find((s) => s < scale - eps) ?? scale;
}

export function canZoom(scale: number, direction: 'in' | 'out'): boolean {
  return stepZoom(scale, direction) !== scale;
}

/** « Zoom 125 % », « Zoom 87 % (ajusté à la largeur) ». */
export function zoomLabel(zoom: Zoom, scale: number): string {
  return `Zoom ${Math.round(scale * 100)} %${zoom.fit ? ' (ajusté à la largeur)' : ''}`;
}

/**
 * The zoom command of a key press in the viewer: + (or =) zooms in, − zooms out, 0 goes back to
 * 100 %. None with Ctrl, Alt or Meta (the browser's own zoom) nor while typing in a field.
 */
export function zoomKey(event: {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  inField?: boolean;
}): 'in' | 'out' | 'reset' | null {
  if (event.ctrlKey || event.altKey || event.metaKey || event.inField) return null;
  switch (event.key) {
    case '+':
    case '=':
      return 'in';
    case '-':
    case '−':
    case '_':
      return 'out';
    case '0':
      return 'reset';
    default:
      return null;
  }
}
