/**
 * « Mes candidats » (issue 6): the rows of the applicants table, their filters and sort, the
 * keyboard shortcuts of the triage, and the undo stack. Pure: the screen and the benchmark use it.
 */
import {
  APPLICATION_SOURCE_LABELS,
  APPLICATION_STATUS_RECRUITER_LABELS,
  type ApplicationSource,
  type ApplicationStatus,
  canMoveApplication,
  isActive,
  nextStatuses,
} from '../../../../shared/domain/application';
import { averageRating } from '../../../../shared/domain/evaluation';
import type { ApplicationDoc, EvaluationDoc } from '../../../../shared/schemas';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export interface ApplicantRow {
  id: string;
  doc: ApplicationDoc;
  name: string;
  /** Family name first, for sorting. */
  sortName: string;
  offerTitle: string;
  status: ApplicationStatus;
  statusLabel: string;
  sourceLabel: string;
  receivedAt: string;
  average: number | null;
  evaluationCount: number;
  mine: number | null;
  tags: string[];
  duplicate: boolean;
  /** What the search box looks into, folded once per row. */
  searchText: string;
}

export function applicantName(doc: Pick<ApplicationDoc, 'applicant'>): string {
  const a = doc.applicant;
  if (!a) return 'Candidat sans nom';
  return `${a.firstName} ${a.lastName}`.trim() || 'Candidat sans nom';
}

/** Evaluations grouped by their subject (application id). */
export function evaluationsBySubject(evaluations: readonly EvaluationDoc[]): Map<string, EvaluationDoc[]> {
  const by = new Map<string, EvaluationDoc[]>();
  for (const e of evaluations) {
    const list = by.get(e.subjectId);
    if (list) list.push(e);
    else by.set(e.subjectId, [e]);
  }
  return by;
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

export function applicantRow(
  doc: ApplicationDoc,
  evaluations: readonly EvaluationDoc[],
  userId: string,
  offerTitle: string | undefined,
): ApplicantRow {
  const status = doc.status as ApplicationStatus;
  const tags: string[] = [];
  for (const e of evaluations)
    for (const t of e.tags) if (!tags.some((x) => collator.compare(x, t) === 0)) tags.push(t);
  const mine = evaluations.find((e) => e.authorId === userId)?.rating ?? null;
  return {
    id: doc.id,
    doc,
    name: applicantName(doc),
    sortName: `${doc.applicant?.lastName ?? ''} ${doc.applicant?.firstName ?? ''}`.trim(),
    offerTitle: offerTitle ?? doc.offer?.title ?? 'Candidature spontanée',
    status,
    statusLabel: APPLICATION_STATUS_RECRUITER_LABELS[status],
    sourceLabel: APPLICATION_SOURCE_LABELS[doc.source as ApplicationSource],
    receivedAt: doc.createdAt,
    average: averageRating(evaluations),
    evaluationCount: evaluations.filter(
      (e) => e.rating !== undefined || e.notes.length > 0 || e.tags.length > 0,
    ).length,
    mine,
    tags,
    duplicate: !!doc.duplicateOf && !doc.mergedInto,
    searchText: fold(
      [
        applicantName(doc),
        doc.applicant?.email ?? '',
        doc.applicant?.phone ?? '',
        doc.applicant?.jobSought ?? '',
        offerTitle ?? doc.offer?.title ?? '',
        ...tags,
      ].join(' '),
    ),
  };
}

/** The status filters: « en cours » (the pipeline), each status, « toutes ». */
export const STATUS_FILTERS = [
  { id: 'en_cours', label: 'En cours', statuses: ['nouvelle', 'a_l_etude', 'entretien', 'preselectionnee'] },
  { id: 'nouvelle', label: 'Nouvelles', statuses: ['nouvelle'] },
  { id: 'a_l_etude', label: 'À l’étude', statuses: ['a_l_etude'] },
  { id: 'entretien', label: 'Entretien', statuses: ['entretien'] },
  { id: 'preselectionnee', label: 'Présélectionnées', statuses: ['preselectionnee'] },
  { id: 'embauchee', label: 'Embauchées', statuses: ['embauchee'] },
  { id: 'refusee', label: 'Refusées', statuses: ['refusee'] },
  { id: 'proposee', label: 'Proposées', statuses: ['proposee'] },
  { id: 'fermees', label: 'Retirées et archivées', statuses: ['retiree', 'archivee', 'declinee'] },
  { id: 'toutes', label: 'Toutes', statuses: null },
] as const satisfies readonly { id: string; label: string; statuses: readonly ApplicationStatus[] | null }[];
export type StatusFilterId = (typeof STATUS_FILTERS)[number]['id'];

export function matchesFilter(row: ApplicantRow, filter: StatusFilterId): boolean {
  const f = STATUS_FILTERS.find((x) => x.id === filter);
  return !f?.statuses || (f.statuses as readonly string[]).includes(row.status);
}

export function countByFilter(rows: readonly ApplicantRow[]): Record<StatusFilterId, number> {
  const byStatus = new Map<string, number>();
  for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const counts = {} as Record<StatusFilterId, number>;
  for (const f of STATUS_FILTERS)
    counts[f.id] = f.statuses
      ? (f.statuses as readonly string[]).reduce((n, s) => n + (byStatus.get(s) ?? 0), 0)
      : rows.length;
  return counts;
}

/**
 * Rows built once per document: while an application and its evaluations stay the same objects
 * (the replica hands out the same object until the document changes), its row is reused, so
 * that one status change does not rebuild thousands of rows.
 */
export function createRowCache(): (
  doc: ApplicationDoc,
  evaluations: readonly EvaluationDoc[],
  userId: string,
  offerTitle: string | undefined,
) => ApplicantRow {
  const cache = new WeakMap<
    ApplicationDoc,
    { row: ApplicantRow; evaluations: readonly EvaluationDoc[]; title?: string }
  >();
  const same = (a: readonly EvaluationDoc[], b: readonly EvaluationDoc[]) =>
    a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
  return (doc, evaluations, userId, offerTitle) => {
    const hit = cache.get(doc);
    if (hit && hit.title === offerTitle && same(hit.evaluations, evaluations)) return hit.row;
    const row = applicantRow(doc, evaluations, userId, offerTitle);
    cache.set(doc, { row, evaluations, title: offerTitle });
    return row;
  };
}

/** The rows whose name, e-mail, phone, job sought, offer or tags contain every word typed (accents and case ignored). */
export function textMatcher(text: string): (row: ApplicantRow) => boolean {
  const words = fold(text).split(/\s+/).filter(Boolean);
  if (words.length === 0) return () => true;
  return (row) => words.every((w) => row.searchText.includes(w));
}

export const matchesText = (row: ApplicantRow, text: string): boolean => textMatcher(text)(row);

export type ApplicantSortKey = 'receivedAt' | 'name' | 'status' | 'average' | 'mine' | 'offer';
export interface ApplicantSort {
  key: ApplicantSortKey;
  desc: boolean;
}

const STATUS_ORDER: Record<ApplicationStatus, number> = {
  proposee: 0,
  nouvelle: 1,
  a_l_etude: 2,
  entretien: 3,
  preselectionnee: 4,
  embauchee: 5,
  refusee: 6,
  retiree: 7,
  declinee: 8,
  archivee: 9,
};

export function sortRows(rows: ApplicantRow[], sort: ApplicantSort): ApplicantRow[] {
  const dir = sort.desc ? -1 : 1;
  const num = (v: number | null) => (v === null ? -1 : v);
  const cmp = (a: ApplicantRow, b: ApplicantRow): number => {
    switch (sort.key) {
      case 'name':
        return collator.compare(a.sortName, b.sortName);
      case 'status':
        return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
      case 'average':
        return num(a.average) - num(b.average);
      case 'mine':
        return num(a.mine) - num(b.mine);
      case 'offer':
        return collator.compare(a.offerTitle, b.offerTitle);
      default:
        return a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0;
    }
  };
  return rows.sort((a, b) => cmp(a, b) * dir || (a.id < b.id ? -1 : 1));
}

/** The triage's keyboard shortcuts, shown on screen. Letters are case-insensitive. */
export type TriageCommand =
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'status'; to: ApplicationStatus }
  | { kind: 'refuse' }
  | { kind: 'rate'; rating: number }
  | { kind: 'note' }
  | { kind: 'tag' }
  | { kind: 'open-cv' }
  | { kind: 'undo' }
  | { kind: 'select' }
  | { kind: 'help' };

export const STATUS_SHORTCUTS: readonly { key: string; to: ApplicationStatus }[] = [
  { key: 'E', to: 'a_l_etude' },
  { key: 'I', to: 'entretien' },
  { key: 'P', to: 'preselectionnee' },
  { key: 'H', to: 'embauchee' },
  { key: 'A', to: 'archivee' },
];

export const TRIAGE_SHORTCUTS: readonly { keys: string; label: string }[] = [
  { keys: 'J ou ↓', label: 'candidat suivant' },
  { keys: 'K ou ↑', label: 'candidat précédent' },
  { keys: '1 à 5', label: 'ma note' },
  { keys: 'E', label: 'à l’étude' },
  { keys: 'I', label: 'entretien' },
  { keys: 'P', label: 'présélectionner' },
  { keys: 'H', label: 'embaucher' },
  { keys: 'R', label: 'refuser (motif)' },
  { keys: 'A', label: 'archiver' },
  { keys: 'N', label: 'ajouter une note' },
  { keys: 'T', label: 'ajouter une étiquette' },
  { keys: 'O', label: 'ouvrir le CV' },
  { keys: 'M', label: 'écrire au candidat' },
  { keys: 'X', label: 'sélectionner' },
  { keys: 'U ou Ctrl+Z', label: 'annuler la dernière action' },
];

/** The command of a key press in the triage (null: not a shortcut, let it through). */
export function commandOf(ev: {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}): TriageCommand | null {
  if (ev.altKey) return null;
  const key = ev.key.length === 1 ? ev.key.toUpperCase() : ev.key;
  if ((ev.ctrlKey || ev.metaKey) && key === 'Z') return { kind: 'undo' };
  if (ev.ctrlKey || ev.metaKey) return null;
  if (key === 'J' || key === 'ArrowDown') return { kind: 'next' };
  if (key === 'K' || key === 'ArrowUp') return { kind: 'previous' };
  if (/^[1-5]$/.test(key)) return { kind: 'rate', rating: Number(key) };
  const status = STATUS_SHORTCUTS.find((s) => s.key === key);
  if (status) return { kind: 'status', to: status.to };
  if (key === 'R') return { kind: 'refuse' };
  if (key === 'N') return { kind: 'note' };
  if (key === 'T') return { kind: 'tag' };
  if (key === 'O') return { kind: 'open-cv' };
  if (key === 'U') return { kind: 'undo' };
  if (key === 'X') return { kind: 'select' };
  if (key === '?') return { kind: 'help' };
  return null;
}

/** The statuses a recruiter may move this application to, in pipeline order. */
export function recruiterMoves(status: ApplicationStatus): ApplicationStatus[] {
  return nextStatuses(status, 'recruteur').sort((a, b) => STATUS_ORDER[a] - STATUS_ORDER[b]);
}

/** An action of the triage that « annuler » can take back. */
export type UndoEntry =
  | {
      kind: 'status';
      applicationId: string;
      label: string;
      before: Pick<
        ApplicationDoc,
        'status' | 'refusalReason' | 'refusalVisible' | 'refusalMessage' | 'updatedAt'
      >;
      /** The status it was moved to (undo only while the application is still there). */
      to: ApplicationStatus;
    }
  | { kind: 'evaluation'; evaluationId: string; label: string; inverse: EvaluationInverse };

/**
 * How to take back one change of the user's evaluation, and only that change: another change made
 * meanwhile (a note typed while a tag was being saved, another device's merge) is never undone.
 */
export type EvaluationInverse =
  | { type: 'rating'; previous: { rating: number; ratedAt?: string } | null }
  | { type: 'note'; noteId: string }
  | { type: 'tag'; tag: string; wasPresent: boolean };

export const UNDO_DEPTH = 50;

export function pushUndo(stack: readonly UndoEntry[], entry: UndoEntry): UndoEntry[] {
  return [...stack, entry].slice(-UNDO_DEPTH);
}

/** The index of the row after moving by `delta`, clamped to the list. */
export function moveIndex(current: number, delta: number, length: number): number {
  if (length === 0) return -1;
  return Math.max(0, Math.min(length - 1, (current < 0 ? 0 : current) + delta));
}

/**
 * Hiring `hiring` fills the offer's last open post (its `posts`, 1 when not said): the triage then
 * asks what to do with the other applications still in progress.
 */
export function fillsLastPost(
  hiring: Pick<ApplicationDoc, 'id' | 'offerId'>,
  offer: { id: string; posts?: number } | undefined,
  applications: readonly Pick<ApplicationDoc, 'id' | 'offerId' | 'status'>[],
): boolean {
  if (!offer || hiring.offerId !== offer.id) return false;
  const hired = applications.filter(
    (a) => a.offerId === offer.id && a.status === 'embauchee' && a.id !== hiring.id,
  ).length;
  return hired + 1 >= (offer.posts ?? 1);
}

/** The other applications of the offer still in progress, which a recruiter may refuse. */
export function othersInProgress<T extends Pick<ApplicationDoc, 'id' | 'offerId' | 'status'>>(
  hiring: Pick<ApplicationDoc, 'id' | 'offerId'>,
  applications: readonly T[],
): T[] {
  return applications.filter(
    (a) =>
      a.id !== hiring.id &&
      a.offerId === hiring.offerId &&
      isActive(a.status as ApplicationStatus) &&
      canMoveApplication(a.status as ApplicationStatus, 'refusee', 'recruteur'),
  );
}
