/**
 * Automatic checks on a submitted offer (seed 001: « vérifier que celle-ci soit conforme (mention
 * H/F, absence de caractères discriminants) »). They FLAG what a moderator should look at; they
 * never block: the moderator decides.
 *
 *  - `mention-hf-absente`: the title has no H/F mention. Accepted: « H/F », « F/H », « (H/F) »,
 *    « H-F », « F-H », « H/F/X », « H/F/NB », « (HF) », « homme/femme », « femme ou homme »…
 *    (case, spaces and accents ignored), and job titles written in both genders, which French
 *    practice also accepts: a double form « Vendeur / Vendeuse », « Serveur ou serveuse »,
 *    « Directeur-Directrice », or a contracted form « Vendeur·euse », « Vendeur.euse »,
 *    « Vendeur(se) », « Chargé-e ». An epicene title alone (« Comptable ») is still flagged: the
 *    platform asks for the mention, the moderator may let it pass.
 *  - `critere-discriminatoire`: wording from the list in discrimination-terms.ts, in the title or
 *    the description, quoted as the recruiter wrote it.
 *  - `salaire-absent`, `contact-absent`: no salary; no contact phone or e-mail, or a contact
 *    without a name (the phone is required to submit, the name is not).
 *  - `doublon-probable`: a published offer of the same company and city with a very similar title
 *    and description.
 */

import {
  DISCRIMINATION_CRITERIA,
  DISCRIMINATION_TERMS,
  type DiscriminationTerm,
  NON_DISCRIMINATION_STATEMENT,
} from './discrimination-terms';

export const MODERATION_FLAG_CODES = [
  'mention-hf-absente',
  'critere-discriminatoire',
  'salaire-absent',
  'contact-absent',
  'doublon-probable',
] as const;
export type ModerationFlagCode = (typeof MODERATION_FLAG_CODES)[number];

export const MODERATION_FLAG_LABELS: Record<ModerationFlagCode, string> = {
  'mention-hf-absente': 'Mention H/F absente',
  'critere-discriminatoire': 'Critère discriminatoire possible',
  'salaire-absent': 'Salaire absent',
  'contact-absent': 'Contact absent ou incomplet',
  'doublon-probable': 'Doublon probable',
};

export interface ModerationFlag {
  code: ModerationFlagCode;
  /** French, precise: quotes the offending words, names the duplicate. At most 500 characters. */
  message: string;
  field?: string;
}

export interface OfferToCheck {
  /** When given, a published offer with the same id (the offer itself, edited) is not a duplicate. */
  id?: string;
  title: string;
  description: string;
  salaryMin?: number | null;
  salaryMax?: number | null;
  contactName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  romeCode?: string | null;
  city?: string | null;
  companyName?: string | null;
}

export interface PublishedOfferForCheck {
  id: string;
  number?: string | null;
  title: string;
  description: string;
  companyName?: string | null;
  city?: string | null;
  romeCode?: string | null;
}

/** At most this many flags per offer (the offer document keeps 30). */
export const MAX_MODERATION_FLAGS = 30;
const MAX_DISCRIMINATION_FLAGS = 12;
const MAX_DUPLICATE_FLAGS = 3;
const MAX_QUOTE = 90;
export const DUPLICATE_TITLE_THRESHOLD = 0.8;
export const DUPLICATE_DESCRIPTION_THRESHOLD = 0.7;

// ─── Normalisation ─────────────────────────────────────────────────────────────────────────────

export interface Mapped {
  text: string;
  /** For each character of `text`, its index in the source string. */
  map: number[];
}

const LETTER_OR_DIGIT = /[a-z0-9]/;
const MARKS = /\p{M}/gu;

/** Folded form of one character: lower-case letters and digits, a space for anything else. */
const FOLD_TABLE: (string | undefined)[] = [];
const FOLD_MAP = new Map<number, string>();

function foldChar(cp: number): string {
  const cached = cp < 0x3000 ? FOLD_TABLE[cp] : FOLD_MAP.get(cp);
  if (cached !== undefined) return cached;
  let folded = String.fromCodePoint(cp).normalize('NFKD').replace(MARKS, '').toLowerCase();
  folded = folded.replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss');
  let out = '';
  for (const c of folded) out += LETTER_OR_DIGIT.test(c) ? c : ' ';
  if (cp < 0x3000) FOLD_TABLE[cp] = out;
  else FOLD_MAP.set(cp, out);
  return out;
}

function normalise(source: string, offset: number, map: number[] | null): string {
  let out = '';
  let pendingSpace = false;
  let i = 0;
  while (i < source.length) {
    const cp = source.codePointAt(i)!;
    const folded = foldChar(cp);
    for (let k = 0; k < folded.length; k++) {
      const c = folded[k]!;
      if (c === ' ') {
        pendingSpace = true;
        continue;
      }
      if (pendingSpace && out.length > 0) {
        out += ' ';
        map?.push(offset + i);
      }
      pendingSpace = false;
      out += c;
      map?.push(offset + i);
    }
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

/**
 * Lower case, accents removed, ligatures expanded (œ → oe), every run of other characters
 * (punctuation, spaces, apostrophes, middle dots) collapsed into one space; with the index in the
 * source of every output character, to quote the source exactly.
 */
export function normaliseMapped(source: string, offset = 0): Mapped {
  const map: number[] = [];
  const text = normalise(source, offset, map);
  return { text, map };
}

/** Text for matching: lower case, no accents, œ → oe, punctuation and spaces collapsed to one space. */
export function normaliseForMatch(text: string): string {
  return normalise(text, 0, null);
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: '’',
  nbsp: ' ',
  rsquo: '’',
  lsquo: '‘',
  laquo: '«',
  raquo: '»',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  middot: '·',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  agrave: 'à',
  acirc: 'â',
  ccedil: 'ç',
  ocirc: 'ô',
  ucirc: 'û',
  ugrave: 'ù',
  icirc: 'î',
  iuml: 'ï',
  euml: 'ë',
  oelig: 'œ',
};

/** The description as plain text: rich-text tags removed (block ends become line breaks), entities decoded. */
export function plainText(html: string): string {
  return html
    .replace(/<(?:br|\/p|\/li|\/div|\/h[1-6]|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/[\u00a0\u202f]/g, ' ');
}

function quote(source: string, start: number, end: number): string {
  const q = source.slice(start, end).replace(/\s+/g, ' ').trim();
  return q.length > MAX_QUOTE ? `${q.slice(0, MAX_QUOTE - 1)}…` : q;
}

// ─── H/F mention ───────────────────────────────────────────────────────────────────────────────

/** Title prepared for the H/F check: lower case, no accents, slashes, dashes and dots unified. */
function foldTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(/[⁄∕／]/g, '/')
    .replace(/[‐‑‒–—−]/g, '-')
    .replace(/[•∙‧⋅]/g, '·');
}

const HF_MENTION = [
  // h/f, f/h, h-f, h / f, h|f, h.f, with anything after (h/f/x, h/f/nb)
  /(?:^|[^a-z])(?:h\s*[/|\\.-]\s*f|f\s*[/|\\.-]\s*h)(?![a-z])/,
  // (hf), (fh), (h f)
  /\(\s*(?:hf|fh|h\s+f|f\s+h)\s*\)/,
  // homme/femme, femmes ou hommes, homme-femme, homme et femme
  /\bhommes?\s*(?:[/|-]|\bou\b|\bet\b)\s*femmes?\b/,
  /\bfemmes?\s*(?:[/|-]|\bou\b|\bet\b)\s*hommes?\b/,
];

/**
 * Endings of the feminine in contracted inclusive forms (« vendeur·euse », « chargé(e) »,
 * « vendeur/euse »). After a dash or a slash, the short endings that are also words or parts of
 * place names (« -le- », « /ne ») are not enough.
 */
const FEMININE_ENDINGS =
  'e|fe|se|euse|rice|trice|ere|iere|ienne|enne|elle|ette|ive|sse|esse|ale|ante|ente|ee|ine|ice';
const CONTRACTED_FORM = new RegExp(
  `[a-z]{2,}(?:(?:·|\\.|\\()(?:${FEMININE_ENDINGS}|ne|le|te)|(?:-|/)(?:${FEMININE_ENDINGS}))\\)?(?:(?:·|\\.)s)?(?![a-z-])`,
);
const DOUBLE_FORM = /(?<![a-z])([a-z]{3,})\s*(?:\/|-|\bou\b|\bet\b)\s*([a-z]{3,})/g;

function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** « vendeur / vendeuse », « directrice ou directeur »: two forms of one word, one of them feminine. */
function hasDoubleForm(folded: string): boolean {
  DOUBLE_FORM.lastIndex = 0;
  for (let m = DOUBLE_FORM.exec(folded); m; m = DOUBLE_FORM.exec(folded)) {
    const [a, b] = [m[1]!, m[2]!];
    const prefix = commonPrefixLength(a, b);
    if (
      a !== b &&
      prefix >= 3 &&
      prefix * 2 >= Math.min(a.length, b.length) &&
      (a.endsWith('e') || b.endsWith('e'))
    )
      return true;
    // Overlapping pairs: « chef de rayon / cheffe de rayon » is not caught, « vendeur / vendeuse » is.
    DOUBLE_FORM.lastIndex = m.index + m[1]!.length;
  }
  return false;
}

/** True when the title carries an H/F mention or is written in both genders. */
export function hasGenderMention(title: string): boolean {
  const folded = foldTitle(title);
  if (HF_MENTION.some((re) => re.test(folded))) return true;
  if (CONTRACTED_FORM.test(folded)) return true;
  return hasDoubleForm(folded);
}

/** Removes the H/F mention from a title (for comparing titles). */
function withoutGenderMention(title: string): string {
  return foldTitle(title)
    .replace(/\(\s*(?:h\s*[/|\\.-]?\s*f|f\s*[/|\\.-]?\s*h)(?:\s*[/|\\.-]\s*(?:x|nb|d|n))?\s*\)/g, ' ')
    .replace(
      /(?:^|[^a-z])(?:h\s*[/|\\.-]\s*f|f\s*[/|\\.-]\s*h)(?:\s*[/|\\.-]\s*(?:x|nb|d|n))?(?![a-z])/g,
      ' ',
    )
    .replace(
      /\b(?:hommes?\s*(?:[/|-]|\bou\b|\bet\b)\s*femmes?|femmes?\s*(?:[/|-]|\bou\b|\bet\b)\s*hommes?)\b/g,
      ' ',
    );
}

// ─── Discriminatory wording ───────────────────────────────────────────────────────────────────

const COMPILED_TERMS: readonly { term: DiscriminationTerm; re: RegExp }[] = DISCRIMINATION_TERMS.map(
  (term) => ({
    term,
    re: new RegExp(`\\b(?:${term.pattern.source})\\b`, 'g'),
  }),
);
const STATEMENT = new RegExp(NON_DISCRIMINATION_STATEMENT.source, 'g');

interface TermMatch {
  term: DiscriminationTerm;
  start: number;
  end: number;
  quote: string;
}

/** Sentences of the source, with their offsets (statements of non-discrimination end at the sentence). */
function sentences(source: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  const re = /[^.!?;\n\r•]+/g;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push({ text: m[0], offset: m.index });
  return out;
}

/** Discriminatory wording found in a text, in reading order, quoted from the source. */
export function findDiscriminatoryTerms(source: string): TermMatch[] {
  const found: TermMatch[] = [];
  for (const sentence of sentences(source)) {
    const { text, map } = normaliseMapped(sentence.text, sentence.offset);
    if (!text) continue;
    STATEMENT.lastIndex = 0;
    const statement = STATEMENT.exec(text);
    const skipFrom = statement ? statement.index : Number.POSITIVE_INFINITY;
    const inSentence: { term: DiscriminationTerm; start: number; end: number }[] = [];
    for (const { term, re } of COMPILED_TERMS) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        if (m.index >= skipFrom) continue;
        inSentence.push({ term, start: m.index, end: m.index + m[0].length });
      }
    }
    // Overlapping matches (« équipe jeune » and « jeune et dynamique ») make one quote; an unlawful
    // criterion wins over a vigilance one, otherwise the first term found.
    inSentence.sort((a, b) => a.start - b.start || b.end - a.end);
    const merged: { term: DiscriminationTerm; start: number; end: number }[] = [];
    for (const m of inSentence) {
      const last = merged.at(-1);
      if (last && m.start < last.end) {
        last.end = Math.max(last.end, m.end);
        if (last.term.level === 'vigilance' && m.term.level === 'critere') last.term = m.term;
      } else merged.push({ ...m });
    }
    for (const m of merged) {
      const start = map[m.start]!;
      const end = map[m.end - 1]! + 1;
      found.push({ term: m.term, start, end, quote: quote(source, start, end) });
    }
  }
  return found;
}

function discriminationMessage(term: DiscriminationTerm, where: string, quoted: string): string {
  const c = DISCRIMINATION_CRITERIA[term.criterion];
  const head =
    term.level === 'critere'
      ? `Critère discriminatoire possible (${c.label}) dans ${where} : « ${quoted} ».`
      : `Formulation à vérifier (${c.label}) dans ${where} : « ${quoted} ».`;
  const note = 'note' in c ? ` ${c.note}` : '';
  const tail =
    term.advice ??
    `Une offre ne peut pas écarter de candidats en raison ${c.grounds} (Code du travail, ${c.law}).${note}`;
  return `${head} ${tail}`.slice(0, 500);
}

// ─── Duplicates ───────────────────────────────────────────────────────────────────────────────

function titleTokens(title: string): Set<string> {
  const words = normaliseForMatch(withoutGenderMention(title)).split(' ');
  return new Set(words.filter((w) => w.length > 1));
}

const WORD_ID_LIMIT = 1 << 17;

/**
 * Word 3-grams of a text as numbers (each word gets an id in `ids`, shared by the texts being
 * compared): sets of numbers are much faster to build and compare than sets of strings.
 */
function shingles(text: string, ids: Map<string, number>): Set<number> {
  const words = normaliseForMatch(plainText(text)).split(' ').filter(Boolean);
  const idOf = (w: string) => {
    let id = ids.get(w);
    if (id === undefined) {
      id = ids.size % WORD_ID_LIMIT;
      ids.set(w, id);
    }
    return id;
  };
  const out = new Set<number>();
  if (words.length < 3) {
    // Too short for 3-grams: the whole text is its one « shingle ».
    if (words.length > 0) out.add(-1 - idOf(words.join(' ')));
    return out;
  }
  let a = idOf(words[0]!);
  let b = idOf(words[1]!);
  for (let i = 2; i < words.length; i++) {
    const c = idOf(words[i]!);
    out.add((a * WORD_ID_LIMIT + b) * WORD_ID_LIMIT + c);
    a = b;
    b = c;
  }
  return out;
}

/** |A ∩ B| / |A ∪ B|; two empty sets are identical. */
export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const x of small) if (large.has(x)) common++;
  return common / (a.size + b.size - common);
}

/** Jaccard index of the title words, H/F mention and one-letter words left out. */
export function titleSimilarity(a: string, b: string): number {
  const ta = titleTokens(a);
  const tb = titleTokens(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  return jaccard(ta, tb);
}

/** Jaccard index of the word 3-grams of two descriptions (rich text reduced to plain text). */
export function descriptionSimilarity(a: string, b: string): number {
  const ids = new Map<string, number>();
  return jaccard(shingles(a, ids), shingles(b, ids));
}

/**
 * Published offers that the offer probably duplicates: same company and same city (compared
 * without case or accents; when either side does not say, the caller is trusted to have
 * pre-filtered), same ROME code when both give one, titles with a word Jaccard index of at least
 * 0.8 (H/F mention ignored) and descriptions with a 3-gram Jaccard index of at least 0.7.
 * Cheap tests first: descriptions are compared only for the few offers whose titles match.
 */
export function findDuplicates(
  offer: OfferToCheck,
  published: readonly PublishedOfferForCheck[],
): PublishedOfferForCheck[] {
  const titleA = titleTokens(offer.title);
  if (titleA.size === 0) return [];
  const company = offer.companyName ? normaliseForMatch(offer.companyName) : '';
  const city = offer.city ? normaliseForMatch(offer.city) : '';
  const ids = new Map<string, number>();
  let descriptionA: Set<number> | null = null;
  const out: PublishedOfferForCheck[] = [];
  for (const p of published) {
    if (offer.id !== undefined && p.id === offer.id) continue;
    if (company && p.companyName && normaliseForMatch(p.companyName) !== company) continue;
    if (city && p.city && normaliseForMatch(p.city) !== city) continue;
    if (offer.romeCode && p.romeCode && offer.romeCode !== p.romeCode) continue;
    const titleB = titleTokens(p.title);
    if (titleB.size === 0 || jaccard(titleA, titleB) < DUPLICATE_TITLE_THRESHOLD) continue;
    descriptionA ??= shingles(offer.description, ids);
    if (jaccard(descriptionA, shingles(p.description, ids)) < DUPLICATE_DESCRIPTION_THRESHOLD) continue;
    out.push(p);
  }
  return out;
}

// ─── All checks ───────────────────────────────────────────────────────────────────────────────

const blank = (v: string | null | undefined) => !v || v.trim() === '';
const noAmount = (v: number | null | undefined) =>
  v === undefined || v === null || !Number.isFinite(v) || v <= 0;

/** Every automatic check on an offer, for the moderator. An empty list means nothing to point out. */
export function moderationFlags(
  offer: OfferToCheck,
  published: readonly PublishedOfferForCheck[] = [],
): ModerationFlag[] {
  const flags: ModerationFlag[] = [];
  const title = offer.title ?? '';

  if (title.trim() && !hasGenderMention(title)) {
    flags.push({
      code: 'mention-hf-absente',
      field: 'title',
      message: `Le titre « ${quote(title, 0, title.length)} » ne comporte pas la mention H/F (ou F/H, « homme/femme »). Ajoutez-la, ou écrivez l’intitulé aux deux genres (« Vendeur / Vendeuse », « Vendeur·euse »).`,
    });
  }

  const seen = new Set<string>();
  let discriminations = 0;
  for (const [field, where, text] of [
    ['title', 'le titre', title],
    ['description', 'la description', plainText(offer.description ?? '')],
  ] as const) {
    for (const m of findDiscriminatoryTerms(text)) {
      const key = `${m.term.criterion}|${normaliseForMatch(m.quote)}`;
      if (seen.has(key) || discriminations >= MAX_DISCRIMINATION_FLAGS) continue;
      seen.add(key);
      discriminations++;
      flags.push({
        code: 'critere-discriminatoire',
        field,
        message: discriminationMessage(m.term, where, m.quote),
      });
    }
  }

  if (noAmount(offer.salaryMin) && noAmount(offer.salaryMax)) {
    flags.push({
      code: 'salaire-absent',
      field: 'salaryMin',
      message: 'Aucun salaire n’est indiqué : demandez au recruteur d’indiquer un salaire ou une fourchette.',
    });
  }

  if (blank(offer.contactPhone) && blank(offer.contactEmail)) {
    flags.push({
      code: 'contact-absent',
      field: 'contactPhone',
      message:
        'Aucun contact n’est indiqué (ni téléphone ni e-mail) : la plateforme ne pourra pas joindre le recruteur au sujet de cette offre.',
    });
  } else if (blank(offer.contactName)) {
    // The phone is required to submit; the name is not (seed 001), yet without it nobody knows
    // whom to ask for when calling about the offer.
    flags.push({
      code: 'contact-absent',
      field: 'contactName',
      message:
        'Le contact n’a pas de nom : seul un numéro ou une adresse est indiqué, sans savoir qui joindre au sujet de cette offre.',
    });
  }

  for (const d of findDuplicates(offer, published).slice(0, MAX_DUPLICATE_FLAGS)) {
    const which = d.number ? `l’offre n° ${d.number}` : 'une offre';
    const where = d.city ? ` à ${d.city}` : '';
    flags.push({
      code: 'doublon-probable',
      field: 'title',
      message:
        `Doublon probable de ${which} « ${quote(d.title, 0, d.title.length)} », déjà publiée pour la même entreprise${where} : titre et description presque identiques.`.slice(
          0,
          500,
        ),
    });
  }

  return flags.slice(0, MAX_MODERATION_FLAGS);
}
