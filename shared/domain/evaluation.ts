/**
 * Evaluations (DESIGN §4 `evaluations`): one recruiter's rating (1–5), notes and tags on an
 * application or a CV. One document per author and subject, so that two people triaging the same
 * applicant offline never overwrite each other; the same author on two devices writes the same
 * document, merged by rule (`mergeEvaluations`): notes appended, the latest rating, tags united.
 */
import type { EvaluationDoc } from '../schemas/evaluation.schema';
import type { FieldError } from '../sync/errors';
import { sha256HexOfText } from './sha256';

export const EVALUATION_LIMITS = { note: 2000, notes: 500, tag: 40, tags: 30 } as const;

/** The evaluation's id: derived from its author and subject (36 characters). */
export function evaluationIdFor(authorId: string, subjectId: string): string {
  return `ev${sha256HexOfText(`evaluation|${authorId}|${subjectId}`).slice(0, 34)}`;
}

export function newEvaluation(args: {
  authorId: string;
  authorName: string;
  organisationId: string;
  subjectKind: 'application' | 'cv';
  subjectId: string;
  offerId?: string;
  now: Date;
}): EvaluationDoc {
  const at = args.now.toISOString();
  return {
    id: evaluationIdFor(args.authorId, args.subjectId),
    organisationId: args.organisationId,
    authorId: args.authorId,
    authorName: args.authorName.slice(0, 120),
    subjectKind: args.subjectKind,
    subjectId: args.subjectId,
    ...(args.offerId ? { offerId: args.offerId } : {}),
    notes: [],
    tags: [],
    createdAt: at,
    updatedAt: at,
  };
}

/** A tag as stored: trimmed, inner spaces collapsed, at most 40 characters ('' when empty). */
export function normaliseTag(tag: string): string {
  return tag.replace(/\s+/g, ' ').trim().slice(0, EVALUATION_LIMITS.tag);
}

const sameTag = (a: string, b: string) => a.localeCompare(b, 'fr', { sensitivity: 'base' }) === 0;

export function withRating(doc: EvaluationDoc, rating: number, now: Date): EvaluationDoc {
  const at = now.toISOString();
  return { ...doc, rating: Math.min(5, Math.max(1, Math.round(rating))), ratedAt: at, updatedAt: at };
}

export function withNote(doc: EvaluationDoc, text: string, noteId: string, now: Date): EvaluationDoc {
  const body = text.trim().slice(0, EVALUATION_LIMITS.note);
  if (!body) return doc;
  const at = now.toISOString();
  const notes = [...doc.notes, { id: noteId, at, text: body }].slice(-EVALUATION_LIMITS.notes);
  return { ...doc, notes, updatedAt: at };
}

export function withTag(doc: EvaluationDoc, tag: string, now: Date): EvaluationDoc {
  const t = normaliseTag(tag);
  if (!t || doc.tags.some((x) => sameTag(x, t)) || doc.tags.length >= EVALUATION_LIMITS.tags) return doc;
  return { ...doc, tags: [...doc.tags, t], updatedAt: now.toISOString() };
}

export function withoutTag(doc: EvaluationDoc, tag: string, now: Date): EvaluationDoc {
  if (!doc.tags.some((x) => sameTag(x, tag))) return doc;
  return { ...doc, tags: doc.tags.filter((x) => !sameTag(x, tag)), updatedAt: now.toISOString() };
}

const later = (a: string | undefined, b: string | undefined) => ((a ?? '') >= (b ?? '') ? a : b);

/**
 * The same author's evaluation written on two devices: notes appended (each kept once, by id, in
 * time order), the rating given last, tags united. Commutative, associative and idempotent.
 */
export function mergeEvaluations(a: EvaluationDoc, b: EvaluationDoc): EvaluationDoc {
  const notes = new Map<string, EvaluationDoc['notes'][number]>();
  for (const n of [...a.notes, ...b.notes]) {
    const seen = notes.get(n.id);
    // The same note id with two texts cannot come from one device; keep the greater one, deterministically.
    if (!seen || `${n.at}|${n.text}` > `${seen.at}|${seen.text}`) notes.set(n.id, n);
  }
  const mergedNotes = [...notes.values()]
    .sort((x, y) => (x.at === y.at ? (x.id < y.id ? -1 : 1) : x.at < y.at ? -1 : 1))
    .slice(-EVALUATION_LIMITS.notes);
  const tags: string[] = [];
  for (const t of [...a.tags, ...b.tags].sort((x, y) => x.localeCompare(y, 'fr'))) {
    if (!tags.some((x) => sameTag(x, t))) tags.push(t);
  }
  // The rating: the later `ratedAt` wins; on a tie, the higher rating (deterministic).
  let rated: Pick<EvaluationDoc, 'rating' | 'ratedAt'> = {};
  for (const x of [a, b]) {
    if (x.rating === undefined) continue;
    const r = rated;
    if (
      r.rating === undefined ||
      (x.ratedAt ?? '') > (r.ratedAt ?? '') ||
      ((x.ratedAt ?? '') === (r.ratedAt ?? '') && x.rating > r.rating)
    )
      rated = { rating: x.rating, ...(x.ratedAt ? { ratedAt: x.ratedAt } : {}) };
  }
  const base = (later(a.updatedAt, b.updatedAt) === a.updatedAt ? a : b) as EvaluationDoc;
  const { rating: _r, ratedAt: _ra, ...rest } = base;
  return {
    ...rest,
    ...rated,
    notes: mergedNotes,
    tags: tags.slice(0, EVALUATION_LIMITS.tags),
    createdAt: (a.createdAt <= b.createdAt ? a.createdAt : b.createdAt) || a.createdAt,
    updatedAt: later(a.updatedAt, b.updatedAt) ?? a.updatedAt,
  };
}

/** What the server checks beyond the schema (French messages, by field). */
export function validateEvaluation(doc: EvaluationDoc): FieldError[] {
  const errors: FieldError[] = [];
  if (doc.id !== evaluationIdFor(doc.authorId, doc.subjectId))
    errors.push({
      field: 'id',
      message: 'L’identifiant de l’évaluation ne correspond pas à son auteur et à son sujet.',
    });
  if (doc.notes.some((n) => !n.text.trim()))
    errors.push({ field: 'notes', message: 'Une note ne peut pas être vide.' });
  const ids = new Set(doc.notes.map((n) => n.id));
  if (ids.size !== doc.notes.length)
    errors.push({ field: 'notes', message: 'Deux notes portent le même identifiant.' });
  if (doc.tags.some((t) => normaliseTag(t) !== t || !t))
    errors.push({
      field: 'tags',
      message: 'Une étiquette ne peut pas être vide ni commencer ou finir par un espace.',
    });
  return errors;
}

/** The average of the ratings given (null when nobody rated), rounded to a tenth. */
export function averageRating(evaluations: readonly Pick<EvaluationDoc, 'rating'>[]): number | null {
  const r = evaluations.map((e) => e.rating).filter((x): x is number => typeof x === 'number');
  if (r.length === 0) return null;
  return Math.round((r.reduce((s, x) => s + x, 0) / r.length) * 10) / 10;
}
