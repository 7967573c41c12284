import { describe, expect, it } from 'vitest';
import { findUnstorableText, isStorableText, storableText } from './text-safety';

describe('text PostgreSQL can store', () => {
  it('accepts ordinary French text and emoji (valid surrogate pairs)', () => {
    expect(isStorableText('Pâtissière — « H/F » 🥐')).toBe(true);
  });
  it('refuses U+0000 and lone surrogates, and says where', () => {
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\uD800')).toBe(false);
    expect(isStorableText('x\uDC00')).toBe(false);
    expect(findUnstorableText({ a: 'ok', b: ['ok', { c: 'bad\u0000' }] })).toBe('b[1].c');
    expect(findUnstorableText({ 'cl\u0000é': 1 })).toBe('cl\u0000é');
    expect(findUnstorableText({ a: ['ok'], n: 3, t: true, z: null })).toBeNull();
  });
  it('cleans text the server writes itself', () => {
    expect(storableText('a\u0000b\uD800c🥐')).toBe('abc🥐');
  });
});
