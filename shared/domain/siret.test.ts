import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatSiret,
  isValidSiret,
  luhnValid,
  nicOf,
  normaliseSiret,
  SIRET_CHECKSUM_MESSAGE,
  SIRET_DIGITS_MESSAGE,
  SIRET_LENGTH_MESSAGE,
  sirenOf,
  validateSiret,
} from './siret';

/**
 * Independent Luhn check digit, written from the definition (weights 2,1,2,1… from the right of
 * the payload, digits of products summed), to build valid numbers without using the code under test.
 */
function luhnCheckDigit(payload: string): string {
  let sum = 0;
  [...payload].reverse().forEach((c, i) => {
    const product = Number(c) * (i % 2 === 0 ? 2 : 1);
    sum += Math.floor(product / 10) + (product % 10);
  });
  return String((10 - (sum % 10)) % 10);
}

/** A valid SIRET from 8 SIREN digits and 4 NIC digits. */
function buildSiret(siren8: string, nic4: string): string {
  const siren = siren8 + luhnCheckDigit(siren8);
  const body = siren + nic4;
  return body + luhnCheckDigit(body);
}

describe('validateSiret', () => {
  it('accepts well-known public SIRETs (checked by hand)', () => {
    // Example shown in the recruiter guide's « Mes paramètres » (seed 001).
    expect(validateSiret('73282932000074')).toBeNull();
    // Google France, head office.
    expect(validateSiret('44306184100047')).toBeNull();
    // France Travail (ex-Pôle emploi), head office.
    expect(validateSiret('13000548100010')).toBeNull();
    // La Poste, head office: passes the ordinary Luhn check.
    expect(validateSiret('35600000000048')).toBeNull();
  });

  it('hand-checks one number digit by digit', () => {
    // 7 3 2 8 2 9 3 2 0 0 0 0 7 4 — doubling every second digit from the right:
    // 14 3 4 8 4 9 6 2 0 0 0 0 14 4 → 5+3+4+8+4+9+6+2+0+0+0+0+5+4 = 50, a multiple of 10.
    expect(luhnValid('73282932000074')).toBe(true);
    expect(luhnValid('73282932000075')).toBe(false);
  });

  it('accepts numbers typed with spaces, dots, dashes or non-breaking spaces', () => {
    expect(validateSiret('732 829 320 00074')).toBeNull();
    expect(validateSiret('732.829.320.00074')).toBeNull();
    expect(validateSiret('732-829-320-00074')).toBeNull();
    expect(validateSiret('732\u00a0829\u202f320 00074')).toBeNull();
    expect(validateSiret(' 73282932000074 ')).toBeNull();
  });

  it('accepts every number built with the Luhn rule', () => {
    const valid = [
      buildSiret('12345678', '0001'),
      buildSiret('40000000', '0123'),
      buildSiret('99999999', '9999'),
      buildSiret('10000000', '0000'),
    ];
    for (const s of valid) expect(validateSiret(s), s).toBeNull();
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{7}$/), fc.stringMatching(/^\d{4}$/), (siren8, nic4) => {
        return validateSiret(buildSiret(siren8, nic4)) === null;
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a number with any single digit changed', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-9]\d{7}$/),
        fc.stringMatching(/^\d{4}$/),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 1, max: 9 }),
        (siren8, nic4, pos, delta) => {
          const s = buildSiret(siren8, nic4);
          const changed = s.slice(0, pos) + String((Number(s[pos]) + delta) % 10) + s.slice(pos + 1);
          return validateSiret(changed) === SIRET_CHECKSUM_MESSAGE;
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a wrong check digit with the French message', () => {
    expect(validateSiret('73282932000075')).toBe(SIRET_CHECKSUM_MESSAGE);
    expect(validateSiret('44306184100048')).toBe(SIRET_CHECKSUM_MESSAGE);
    expect(validateSiret('12345678900010')).toBe(SIRET_CHECKSUM_MESSAGE);
    expect(SIRET_CHECKSUM_MESSAGE).toBe('Ce numéro SIRET n’est pas valide (clé de contrôle incorrecte).');
  });

  it('refuses a SIRET whose SIREN part has a wrong key even if the 14 digits pass Luhn', () => {
    // SIREN 123456780 is not Luhn-valid (its key should be 2); the NIC is chosen so the 14 digits pass.
    const body = '123456780' + '0001';
    const s = body + luhnCheckDigit(body);
    expect(luhnValid(s)).toBe(true);
    expect(validateSiret(s)).toBe(SIRET_CHECKSUM_MESSAGE);
  });

  it('refuses a transposition of two adjacent different digits (except 0↔9)', () => {
    const s = buildSiret('73282932', '0007');
    const swapped = s[0] + s[2] + s[1] + s.slice(3); // 7 3 2 → 7 2 3
    expect(validateSiret(swapped)).toBe(SIRET_CHECKSUM_MESSAGE);
  });

  it('refuses lengths other than 14 digits', () => {
    expect(validateSiret('7328293200007')).toBe(SIRET_LENGTH_MESSAGE);
    expect(validateSiret('732829320000740')).toBe(SIRET_LENGTH_MESSAGE);
    expect(validateSiret('732829320')).toBe(SIRET_LENGTH_MESSAGE); // a SIREN is not a SIRET
    expect(validateSiret('')).toBe(SIRET_LENGTH_MESSAGE);
    expect(SIRET_LENGTH_MESSAGE).toBe('Le SIRET doit compter 14 chiffres.');
  });

  it('refuses letters and other characters', () => {
    expect(validateSiret('7328293200007A')).toBe(SIRET_DIGITS_MESSAGE);
    expect(validateSiret('FR73282932000074')).toBe(SIRET_DIGITS_MESSAGE);
    expect(validateSiret('73282932000074/')).toBe(SIRET_DIGITS_MESSAGE);
  });

  it('refuses the all-zero number although it passes Luhn', () => {
    expect(luhnValid('00000000000000')).toBe(true);
    expect(validateSiret('00000000000000')).toBe(SIRET_CHECKSUM_MESSAGE);
  });

  describe('La Poste exception (SIREN 356 000 000)', () => {
    it('accepts an establishment whose digit sum is a multiple of 5 though it fails Luhn', () => {
      const s = '35600000049837'; // 3+5+6+4+9+8+3+7 = 45
      expect(luhnValid(s)).toBe(false);
      expect(validateSiret(s)).toBeNull();
      expect(validateSiret('356 000 000 00001')).toBeNull(); // 3+5+6+1 = 15, typed with spaces
    });

    it('refuses an establishment whose digit sum is not a multiple of 5', () => {
      expect(validateSiret('35600000012345')).toBe(SIRET_CHECKSUM_MESSAGE); // sum 29
      expect(validateSiret('35600000049838')).toBe(SIRET_CHECKSUM_MESSAGE); // sum 46
    });

    it('does not apply the exception to any other SIREN', () => {
      // Same digit sum trick on a Luhn-invalid number of another company: refused.
      const other = '44306184100045'; // sum 4+4+3+6+1+8+4+1+4+5 = 40, Luhn fails
      expect(luhnValid(other)).toBe(false);
      expect(validateSiret(other)).toBe(SIRET_CHECKSUM_MESSAGE);
    });
  });
});

describe('normaliseSiret / sirenOf / nicOf / formatSiret', () => {
  it('strips spaces, dots and dashes only', () => {
    expect(normaliseSiret(' 732 829.320-00074 ')).toBe('73282932000074');
    expect(normaliseSiret('732 829 32A')).toBe('73282932A');
  });

  it('extracts the SIREN and the NIC', () => {
    expect(sirenOf('732 829 320 00074')).toBe('732829320');
    expect(nicOf('732 829 320 00074')).toBe('00074');
  });

  it('formats as « 123 456 789 00012 »', () => {
    expect(formatSiret('12345678900012')).toBe('123 456 789 00012');
    expect(formatSiret('732.829.320.00074')).toBe('732 829 320 00074');
    expect(formatSiret('1234')).toBe('1234');
  });

  it('isValidSiret mirrors validateSiret', () => {
    expect(isValidSiret('73282932000074')).toBe(true);
    expect(isValidSiret('73282932000075')).toBe(false);
  });
});
