import { describe, expect, it } from 'vitest';
import {
  canZoom,
  defaultZoom,
  fitWidthScale,
  MAX_ZOOM,
  MIN_ZOOM,
  stepZoom,
  ZOOM_STEPS,
  zoomKey,
  zoomLabel,
  zoomScale,
} from './pdf-zoom';

const A4_WIDTH = 595.28; // points, the page's width at 100 %

describe('fitWidthScale', () => {
  it('makes the page as wide as the frame, never wider (rounded down to the percent)', () => {
    const scale = fitWidthScale(425, A4_WIDTH);
    expect(scale).toBe(0.71);
    expect(A4_WIDTH * scale).toBeLessThanOrEqual(425);
    expect(A4_WIDTH * (scale + 0.01)).toBeGreaterThan(425);
    // A wide frame enlarges the page.
    expect(fitWidthScale(893, A4_WIDTH)).toBe(1.5);
  });

  it('stays within the zoom limits, and is 100 % while a width is unknown', () => {
    expect(fitWidthScale(40, A4_WIDTH)).toBe(MIN_ZOOM);
    expect(fitWidthScale(10_000, A4_WIDTH)).toBe(MAX_ZOOM);
    expect(fitWidthScale(0, A4_WIDTH)).toBe(1);
    expect(fitWidthScale(400, 0)).toBe(1);
    expect(fitWidthScale(Number.NaN, A4_WIDTH)).toBe(1);
  });
});

describe('zoomScale and defaultZoom', () => {
  it('fits the width on a narrow screen or in a narrow frame, 100 % otherwise', () => {
    expect(defaultZoom(true, 800)).toEqual({ fit: true });
    expect(defaultZoom(false, 360)).toEqual({ fit: true });
    expect(defaultZoom(false, 537)).toEqual({ fit: false, scale: 1 });
    expect(defaultZoom(false, 0)).toEqual({ fit: false, scale: 1 });
    expect(zoomScale({ fit: true }, 425, A4_WIDTH)).toBe(0.71);
    expect(zoomScale({ fit: false, scale: 1.25 }, 425, A4_WIDTH)).toBe(1.25);
  });
});

describe('stepZoom', () => {
  it('goes up and down the steps, and stops at either end', () => {
    expect(stepZoom(1, 'in')).toBe(1.25);
    expect(stepZoom(1.25, 'out')).toBe(1);
    expect(stepZoom(ZOOM_STEPS[ZOOM_STEPS.length - 1], 'in')).toBe(3);
    expect(canZoom(3, 'in')).toBe(false);
    expect(stepZoom(0.5, 'out')).toBe(0.5);
    expect(canZoom(0.5, 'out')).toBe(false);
    expect(canZoom(0.5, 'in')).toBe(true);
  });

  it('from a fitted scale, goes to the nearest step on that side', () => {
    expect(stepZoom(0.71, 'in')).toBe(0.75);
    expect(stepZoom(0.71, 'out')).toBe(0.5);
    expect(stepZoom(1.43, 'in')).toBe(1.5);
    expect(stepZoom(1.43, 'out')).toBe(1.25);
    // Beyond the last step (a very wide frame): back down to it.
    expect(stepZoom(3.6, 'out')).toBe(3);
    expect(canZoom(3.6, 'in')).toBe(false);
  });
});

describe('zoomLabel', () => {
  it('says the percentage, and when it is fitted to the width', () => {
    expect(zoomLabel({ fit: false, scale: 1.25 }, 1.25)).toBe('Zoom 125 %');
    expect(zoomLabel({ fit: true }, 0.71)).toBe('Zoom 71 % (ajusté à la largeur)');
  });
});

describe('zoomKey', () => {
  it('reads + − 0, not with a modifier (the browser zoom) nor while typing', () => {
    expect(zoomKey({ key: '+' })).toBe('in');
    expect(zoomKey({ key: '=' })).toBe('in');
    expect(zoomKey({ key: '-' })).toBe('out');
    expect(zoomKey({ key: '0' })).toBe('reset');
    expect(zoomKey({ key: 'a' })).toBeNull();
    expect(zoomKey({ key: '+', ctrlKey: true })).toBeNull();
    expect(zoomKey({ key: '-', metaKey: true })).toBeNull();
    expect(zoomKey({ key: '0', inField: true })).toBeNull();
  });
});
