/**
 * PostgreSQL cannot store U+0000 in text or jsonb, nor lone UTF-16 surrogates. Input holding
 * them is refused up front with the place at fault, instead of failing inside the database.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
const NUL = String.fromCharCode(0);

export function isStorableText(text: string): boolean {
  return !text.includes(NUL) && !LONE_SURROGATE.test(text);
}

/** Drops what PostgreSQL cannot store (for text the server itself writes from client input). */
export function storableText(text: string): string {
  return text.replaceAll(NUL, '').replace(LONE_SURROGATES, '');
}

/** The path of the first string (or key) PostgreSQL could not store, or null. */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path || '(valeur)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (!isStorableText(key)) return here;
      const found = findUnstorableText(v, here);
      if (found) return found;
    }
  }
  return null;
}

export const UNSTORABLE_TEXT_MESSAGE =
  'Ce texte contient un caractère invalide (caractère nul ou encodage incorrect).';
