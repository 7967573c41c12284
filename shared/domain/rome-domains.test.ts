import { describe, expect, it } from 'vitest';
import { isRomeDomain, ROME_DOMAINS, romeDomainLabel, romeDomainOf } from './rome-domains';

describe('ROME domains', () => {
  it('has the 14 letters A to N once each', () => {
    expect(ROME_DOMAINS.map((d) => d.code).join('')).toBe('ABCDEFGHIJKLMN');
  });
  it('finds the domain of a ROME code and its label', () => {
    expect(romeDomainOf('n4101')).toBe('N');
    expect(romeDomainOf('Z9999')).toBeNull();
    expect(romeDomainOf('')).toBeNull();
    expect(isRomeDomain('G')).toBe(true);
    expect(isRomeDomain('g')).toBe(false);
    expect(romeDomainLabel('J')).toBe('Santé');
  });
});
