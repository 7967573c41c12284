/**
 * Offer numbers: six digits and a letter, as France Travail shows them (« N° d'offre : 688418K »).
 *
 * The server draws an integer from a database sequence and maps it here. The letter encodes the
 * block of one million the integer falls in, the digits its position in the block:
 *
 *   n = 100001   → « 100001A »
 *   n = 999999   → « 999999A »
 *   n = 1000000  → « 000000B »
 *   n = 25999999 → « 999999Z »
 *
 * The mapping is a bijection between [0, 26 000 000) and the 26 million possible numbers, so two
 * different sequence values never give the same number. Capacity: 26 million offers (25.9 million
 * counting from the first sequence value, 100 001); beyond that the function throws rather than
 * wrap around.
 */

/** First value of the server's sequence: the first offer is « 100001A ». */
export const OFFER_NUMBER_FIRST_SEQUENCE = 100_001;

const BLOCK = 1_000_000;
const LETTERS = 26;
/** Sequence values the scheme can represent: [0, OFFER_NUMBER_CAPACITY). */
export const OFFER_NUMBER_CAPACITY = BLOCK * LETTERS;

const OFFER_NUMBER = /^\d{6}[A-Z]$/;

/** Maps a sequence integer to its offer number; throws outside [0, 26 000 000). */
export function offerNumberFromSequence(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= OFFER_NUMBER_CAPACITY) {
    throw new RangeError(
      `Numéro de séquence d’offre hors limites : ${n} (entier entre 0 et ${OFFER_NUMBER_CAPACITY - 1} attendu).`,
    );
  }
  const digits = String(n % BLOCK).padStart(6, '0');
  const letter = String.fromCharCode(65 + Math.floor(n / BLOCK));
  return `${digits}${letter}`;
}

/** The sequence integer an offer number comes from (inverse of `offerNumberFromSequence`). */
export function sequenceFromOfferNumber(number: string): number {
  if (!isOfferNumber(number)) throw new RangeError(`Numéro d’offre invalide : « ${number} ».`);
  return (number.charCodeAt(6) - 65) * BLOCK + Number(number.slice(0, 6));
}

/** True for six digits followed by one capital letter (« 123456A »). */
export function isOfferNumber(s: string): boolean {
  return OFFER_NUMBER.test(s);
}

/**
 * What a candidate or recruiter typed in a « recherche par numéro d'offre » box, tidied up:
 * spaces removed, letter upper-cased (« 688 418 k » → « 688418K »). Returns null when it cannot be
 * an offer number.
 */
export function normaliseOfferNumber(input: string): string | null {
  const s = input.replace(/[\s\u00a0\u202f]/g, '').toUpperCase();
  return isOfferNumber(s) ? s : null;
}
