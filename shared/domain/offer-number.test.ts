import { describe, expect, it } from 'vitest';
import {
  isOfferNumber,
  normaliseOfferNumber,
  OFFER_NUMBER_CAPACITY,
  OFFER_NUMBER_FIRST_SEQUENCE,
  offerNumberFromSequence,
  sequenceFromOfferNumber,
} from './offer-number';

describe('offerNumberFromSequence', () => {
  it('gives six digits and a letter, starting at « 100001A »', () => {
    expect(offerNumberFromSequence(OFFER_NUMBER_FIRST_SEQUENCE)).toBe('100001A');
    expect(offerNumberFromSequence(688418 + 10 * 1_000_000)).toBe('688418K');
    expect(offerNumberFromSequence(999_999)).toBe('999999A');
    expect(offerNumberFromSequence(1_000_000)).toBe('000000B');
    expect(offerNumberFromSequence(1_000_001)).toBe('000001B');
    expect(offerNumberFromSequence(0)).toBe('000000A');
    expect(offerNumberFromSequence(OFFER_NUMBER_CAPACITY - 1)).toBe('999999Z');
  });

  it('stays unique past 999 999 and across block boundaries', () => {
    const seen = new Set<string>();
    const ranges: [number, number][] = [
      [OFFER_NUMBER_FIRST_SEQUENCE, OFFER_NUMBER_FIRST_SEQUENCE + 50_000],
      [990_000, 1_010_000],
      [1_990_000, 2_010_000],
      [25_990_000, OFFER_NUMBER_CAPACITY],
    ];
    let count = 0;
    let malformed = 0;
    for (const [from, to] of ranges) {
      for (let n = from; n < to; n++) {
        const number = offerNumberFromSequence(n);
        if (!isOfferNumber(number)) malformed++;
        seen.add(number);
        count++;
      }
    }
    expect(malformed).toBe(0);
    expect(count).toBe(100_000);
    expect(seen.size).toBe(count);
  });

  it('is a bijection: every number maps back to its sequence value', () => {
    for (const n of [0, 1, 100_001, 999_999, 1_000_000, 12_345_678, OFFER_NUMBER_CAPACITY - 1]) {
      expect(sequenceFromOfferNumber(offerNumberFromSequence(n))).toBe(n);
    }
    // Same digits, different letters: different sequence values.
    expect(sequenceFromOfferNumber('123456A')).not.toBe(sequenceFromOfferNumber('123456B'));
  });

  it('refuses values it cannot represent instead of wrapping around', () => {
    expect(() => offerNumberFromSequence(OFFER_NUMBER_CAPACITY)).toThrow(RangeError);
    expect(() => offerNumberFromSequence(-1)).toThrow(RangeError);
    expect(() => offerNumberFromSequence(1.5)).toThrow(RangeError);
    expect(() => offerNumberFromSequence(Number.NaN)).toThrow(RangeError);
    expect(() => sequenceFromOfferNumber('12345A')).toThrow(RangeError);
  });
});

describe('isOfferNumber / normaliseOfferNumber', () => {
  it('accepts exactly six digits and one capital letter', () => {
    expect(isOfferNumber('123456A')).toBe(true);
    expect(isOfferNumber('688418K')).toBe(true);
    for (const bad of [
      '12345A',
      '1234567A',
      '123456a',
      '123456',
      'A123456',
      '123456AB',
      ' 123456A',
      '12345ZA',
    ])
      expect(isOfferNumber(bad)).toBe(false);
  });

  it('tidies what a person types', () => {
    expect(normaliseOfferNumber(' 688 418 k ')).toBe('688418K');
    expect(normaliseOfferNumber('688\u00a0418K')).toBe('688418K');
    expect(normaliseOfferNumber('68841K')).toBeNull();
    expect(normaliseOfferNumber('boulanger')).toBeNull();
  });
});
