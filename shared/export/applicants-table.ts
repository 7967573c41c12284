/**
 * The applicants table as exported to CSV and XLSX (issue 6 « Exports »): one row per application,
 * with the evaluations of every recruiter summed up (average rating, count, tags united).
 */
import { averageRating } from '../domain/evaluation';
import type { ApplicationDoc } from '../schemas/application.schema';
import type { EvaluationDoc } from '../schemas/evaluation.schema';
import type { Cell } from './csv';

export const APPLICANT_EXPORT_HEADER: readonly string[] = Object.freeze([
  'Nom',
  'Prénom',
  'E-mail',
  'Téléphone',
  'Offre',
  'Statut',
  'Source',
  'Reçue le',
  'Dernier changement',
  'Note moyenne',
  'Nombre d’évaluations',
  'Étiquettes',
  'Motif de refus',
  'Salon',
  'Doublon possible',
]);

export interface ApplicantExportInput {
  applications: readonly ApplicationDoc[];
  /** Everyone's evaluations; those of other subjects (CVs, other applications) are ignored. */
  evaluations: readonly EvaluationDoc[];
  /** Offer id → its current title (else the title saved with the application). */
  offerTitles: ReadonlyMap<string, string>;
  statusLabel: (s: string) => string;
  sourceLabel: (s: string) => string;
}

const sameTag = (a: string, b: string) => a.localeCompare(b, 'fr', { sensitivity: 'base' }) === 0;

/** The tags of several evaluations, united (case and accents ignored), in French order. */
export function unitedTags(evaluations: readonly Pick<EvaluationDoc, 'tags'>[]): string[] {
  const tags: string[] = [];
  for (const e of evaluations)
    for (const t of e.tags) if (t.trim() && !tags.some((x) => sameTag(x, t))) tags.push(t.trim());
  return tags.sort((x, y) => x.localeCompare(y, 'fr'));
}

function date(iso: string | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The time of the last status change (else the last update). */
function lastChange(app: ApplicationDoc): Date | null {
  let latest = '';
  for (const h of app.history) if (h.at > latest) latest = h.at;
  return date(latest || app.updatedAt);
}

/** Rows in the order of `applications`, columns as APPLICANT_EXPORT_HEADER. */
export function applicantExportRows(input: ApplicantExportInput): Cell[][] {
  const bySubject = new Map<string, EvaluationDoc[]>();
  for (const e of input.evaluations) {
    if (e.subjectKind !== 'application') continue;
    if (e.rating === undefined && e.notes.length === 0 && e.tags.length === 0) continue;
    const list = bySubject.get(e.subjectId);
    if (list) list.push(e);
    else bySubject.set(e.subjectId, [e]);
  }
  return input.applications.map((app) => {
    const evaluations = bySubject.get(app.id) ?? [];
    const offer = (app.offerId ? input.offerTitles.get(app.offerId) : undefined) ?? app.offer?.title ?? '';
    return [
      app.applicant?.lastName ?? '',
      app.applicant?.firstName ?? '',
      app.applicant?.email ?? '',
      app.applicant?.phone ?? '',
      offer,
      input.statusLabel(app.status),
      input.sourceLabel(app.source),
      date(app.createdAt),
      lastChange(app),
      averageRating(evaluations),
      evaluations.length,
      unitedTags(evaluations).join(' ; '),
      app.refusalReason ?? '',
      app.eventId ?? '',
      Boolean(app.duplicateOf) && !app.mergedInto,
    ];
  });
}
