/**
 * SIRET numbers (INSEE): 14 digits, the 9-digit SIREN of the legal unit followed by the 5-digit NIC
 * of the establishment. Both the SIREN and the whole SIRET carry a Luhn check digit.
 *
 * Exception: the establishments of La Poste (SIREN 356 000 000) were numbered before the rule
 * and do not pass the Luhn check; INSEE validates them by the sum of their digits, which must be
 * a multiple of 5. The head office (356 000 000 00048) passes the ordinary Luhn check.
 */

export const SIRET_LENGTH_MESSAGE = 'Le SIRET doit compter 14 chiffres.';
export const SIRET_CHECKSUM_MESSAGE = 'Ce numéro SIRET n’est pas valide (clé de contrôle incorrecte).';
export const SIRET_DIGITS_MESSAGE = 'Le SIRET ne doit contenir que des chiffres (14 chiffres).';

/** SIREN of La Poste, whose establishments follow the sum-of-digits rule. */
export const LA_POSTE_SIREN = '356000000';
const LA_POSTE_HEAD_OFFICE = '35600000000048';

/** Removes what people type between digit groups: spaces (also non-breaking), dots, dashes. */
export function normaliseSiret(input: string): string {
  return input.replace(/[\s\u00a0\u202f.\-‐‑–—]/g, '');
}

/** Luhn check over a string of digits (the rightmost digit is the check digit). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += digits.charCodeAt(i) - 48;
  return sum;
}

/**
 * Checks a SIRET as typed (spaces, dots and dashes allowed between digits).
 * Returns a French error message, or null when the number is valid.
 */
export function validateSiret(input: string): string | null {
  const s = normaliseSiret(input);
  if (/[^0-9]/.test(s)) return SIRET_DIGITS_MESSAGE;
  if (s.length !== 14) return SIRET_LENGTH_MESSAGE;
  if (/^0+$/.test(s)) return SIRET_CHECKSUM_MESSAGE;
  const siren = s.slice(0, 9);
  if (siren === LA_POSTE_SIREN && s !== LA_POSTE_HEAD_OFFICE) {
    return digitSum(s) % 5 === 0 ? null : SIRET_CHECKSUM_MESSAGE;
  }
  if (!luhnValid(siren) || !luhnValid(s)) return SIRET_CHECKSUM_MESSAGE;
  return null;
}

export function isValidSiret(input: string): boolean {
  return validateSiret(input) === null;
}

/** The SIREN (legal unit) of a SIRET: its first 9 digits. */
export function sirenOf(siret: string): string {
  return normaliseSiret(siret).slice(0, 9);
}

/** The NIC (establishment number within the legal unit): the last 5 digits. */
export function nicOf(siret: string): string {
  return normaliseSiret(siret).slice(9, 14);
}

/** « 123 456 789 00012 »; anything that is not 14 digits is returned normalised but unformatted. */
export function formatSiret(siret: string): string {
  const s = normaliseSiret(siret);
  if (!/^\d{14}$/.test(s)) return s;
  return `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6, 9)} ${s.slice(9)}`;
}
