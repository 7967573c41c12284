/**
 * Duplicate detection (issue 6): is this fair capture the same person as another capture, an
 * application received online, or a candidate account? A hint only, never a refusal: the server
 * flags the capture (`duplicateOf`, `duplicateReasons`) and a recruiter confirms the merge.
 *
 * Three keys, each normalised so that the ways French people write the same thing compare equal:
 * the e-mail (case), the phone (06 12 34 56 78, +33 6…, 0033 6…, overseas prefixes) and the name
 * (accents, hyphens, apostrophes, first and last name swapped).
 */
import { fold } from './cv-search';

export interface PersonIdentity {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
}

export type DuplicateReason = 'email' | 'phone' | 'name';

// ─── E-mail ────────────────────────────────────────────────────────────────────────────────

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trimmed and lower-cased; null when empty or not an e-mail address. */
export function normaliseEmail(email: string | undefined | null): string | null {
  if (typeof email !== 'string') return null;
  const value = email.trim().toLowerCase();
  return EMAIL.test(value) ? value : null;
}

// ─── Phone ─────────────────────────────────────────────────────────────────────────────────

/**
 * French overseas country codes kept as such (Réunion/Mayotte, Guadeloupe, Guyane, Martinique,
 * Comores/ancien Mayotte, Nouvelle-Calédonie, Polynésie).
 */
const OVERSEAS_CODES = ['262', '590', '594', '596', '269', '687', '689'] as const;

/**
 * Overseas departments share the French national numbering plan: « 0692 12 34 56 » is dialled
 * from Paris as well as from Saint-Denis, and is +262 692 12 34 56 in international form. The
 * first three digits after the 0 give the country code.
 */
const OVERSEAS_NATIONAL_PREFIXES: Record<string, string> = {
  '262': '262', // Réunion (fixe)
  '263': '262', // Réunion (fixe)
  '692': '262', // Réunion (mobile)
  '693': '262', // Réunion (mobile)
  '269': '262', // Mayotte (fixe)
  '639': '262', // Mayotte (mobile)
  '590': '590', // Guadeloupe, Saint-Martin, Saint-Barthélemy (fixe)
  '690': '590', // (mobile)
  '691': '590', // (mobile)
  '594': '594', // Guyane (fixe)
  '694': '594', // Guyane (mobile)
  '596': '596', // Martinique (fixe)
  '696': '596', // Martinique (mobile)
  '697': '596', // Martinique (mobile)
};

/** Only what people put in a phone number: digits, spaces, dots, hyphens, slashes, brackets, a plus. */
const PHONE_CHARACTERS = /^\+?[\d\s.\-/()\u00a0\u202f]*$/;

/** A French national number (9 digits after the 0) in international form. */
function frenchNational(nine: string): string {
  const overseas = OVERSEAS_NATIONAL_PREFIXES[nine.slice(0, 3)];
  return overseas ? `+${overseas}${nine}` : `+33${nine}`;
}

/** Digits after a country code: the trunk 0 some people keep (« +33 06… », « +262 0692… ») goes. */
function afterCode(code: string, rest: string): string {
  const national = rest.length === 10 && rest.startsWith('0') ? rest.slice(1) : rest;
  if (code === '33' && national.length === 9) return frenchNational(national);
  return `+${code}${national}`;
}

function international(digits: string): string {
  if (digits.startsWith('33')) return afterCode('33', digits.slice(2));
  const code = OVERSEAS_CODES.find((c) => digits.startsWith(c));
  if (code) return afterCode(code, digits.slice(code.length));
  return `+${digits}`;
}

/**
 * A phone number in international form: French numbers as « +33XXXXXXXXX » (06 12 34 56 78,
 * 06.12.34.56.78, +33 6 12 34 56 78, +33 (0)6 12…, 0033 6…, 33612345678), overseas French numbers
 * with their own code (+262, +590, +594, +596, +269, +687, +689), other international numbers as
 * « + » and their digits. Null when empty, with letters, fewer than 8 or more than 15 digits, or a
 * national number (starting with a single 0) that is not 10 digits long.
 */
export function normalisePhone(phone: string | undefined | null): string | null {
  if (typeof phone !== 'string') return null;
  const raw = phone.trim().replace(/\(\s*0\s*\)/g, '');
  if (!raw || !PHONE_CHARACTERS.test(raw)) return null;
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15 + 2) return null;
  let result: string;
  if (raw.startsWith('+')) result = international(digits);
  else if (digits.startsWith('00')) result = international(digits.slice(2));
  else if (digits.startsWith('0')) {
    if (digits.length !== 10) return null;
    result = frenchNational(digits.slice(1));
  } else if (digits.length === 11 && digits.startsWith('33')) result = international(digits);
  else if (digits.length >= 11 && OVERSEAS_CODES.some((c) => digits.startsWith(c)))
    result = international(digits);
  else result = `+${digits}`;
  const count = result.length - 1;
  return count >= 8 && count <= 15 ? result : null;
}

// ─── Name ──────────────────────────────────────────────────────────────────────────────────

/** Letters `fold` (NFKD) leaves as they are. */
const EXTRA_LETTERS: Record<string, string> = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
const EXTRA = /[øłđðþı]/g;

function nameTokens(firstName?: string | null, lastName?: string | null): string[] {
  const text = `${firstName ?? ''} ${lastName ?? ''}`;
  return (
    fold(text)
      .replace(EXTRA, (l) => EXTRA_LETTERS[l] ?? l)
      // Hyphens, apostrophes (’ and '), dots and any other separator become spaces.
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
  );
}

/**
 * The name as a key that does not depend on the order of first and last names: accents and case
 * folded (É → e, œ → oe, ß → ss), hyphens, apostrophes and dots as spaces, tokens sorted
 * (« Marie-Hélène DUPONT » and « Dupont Marie Hélène » give « dupont helene marie »). Particles
 * stay tokens. Null for fewer than two tokens: a single name is too weak to flag anyone.
 */
export function nameKey(firstName?: string | null, lastName?: string | null): string | null {
  const tokens = nameTokens(firstName, lastName);
  if (tokens.length < 2) return null;
  return tokens.sort().join(' ');
}

// ─── Matching ──────────────────────────────────────────────────────────────────────────────

/** The three keys of a person, computed once (the server may cache them per candidate). */
export interface IdentityKeys {
  email: string | null;
  phone: string | null;
  name: string | null;
}

export function identityKeys(person: PersonIdentity): IdentityKeys {
  return {
    email: normaliseEmail(person.email),
    phone: normalisePhone(person.phone),
    name: nameKey(person.firstName, person.lastName),
  };
}

/** Why two sets of keys look like the same person, in the order email, phone, name. */
export function keyReasons(a: IdentityKeys, b: IdentityKeys): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  if (a.email !== null && a.email === b.email) reasons.push('email');
  if (a.phone !== null && a.phone === b.phone) reasons.push('phone');
  if (a.name !== null && a.name === b.name) reasons.push('name');
  return reasons;
}

/** Why a and b look like the same person (empty: they do not), in the order email, phone, name. */
export function duplicateReasons(a: PersonIdentity, b: PersonIdentity): DuplicateReason[] {
  return keyReasons(identityKeys(a), identityKeys(b));
}

export interface DuplicateMatch<T> {
  item: T;
  reasons: DuplicateReason[];
}

const WEIGHT: Record<DuplicateReason, number> = { email: 4, phone: 2, name: 1 };
const strength = (reasons: readonly DuplicateReason[]) => reasons.reduce((s, r) => s + WEIGHT[r], 0);

/**
 * The candidates that look like `person`, strongest first: a shared e-mail, then a shared phone,
 * then the name only (more reasons rank higher among equals); ties keep the input order. Linear
 * in the number of candidates (each one's keys computed once).
 */
export function findDuplicates<T>(
  person: PersonIdentity,
  candidates: readonly T[],
  identityOf: (t: T) => PersonIdentity,
): DuplicateMatch<T>[] {
  const keys = identityKeys(person);
  if (keys.email === null && keys.phone === null && keys.name === null) return [];
  const matches: { match: DuplicateMatch<T>; score: number; index: number }[] = [];
  candidates.forEach((item, index) => {
    const reasons = keyReasons(keys, identityKeys(identityOf(item)));
    if (reasons.length > 0) matches.push({ match: { item, reasons }, score: strength(reasons), index });
  });
  matches.sort((x, y) => y.score - x.score || x.index - y.index);
  return matches.map((m) => m.match);
}
