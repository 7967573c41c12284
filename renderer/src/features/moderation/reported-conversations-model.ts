/**
 * « Conversations signalées » (issue 7, moderators): pure rules of the screen. The server reads the
 * reported conversations (`GET /api/moderation/conversations[/:id]`) and applies the decisions
 * (`POST /api/moderation/conversations/:id/decision`, `sync-server/src/messaging/moderation.ts`);
 * these helpers read its answers defensively, order the messages, check the note with the server's
 * wording and turn answers into French messages.
 */
import { formatDateTime, plural } from '../../lib/format';
import type { ApiProblem } from './api-problem';

export type { ApiProblem };

export const DECISIONS = ['classer', 'suspendre-candidat'] as const;
export type Decision = (typeof DECISIONS)[number];

/** As the server (code points). */
export const NOTE_MAX = 1000;
export const NOTE_TOO_LONG = `La note ne doit pas dépasser ${NOTE_MAX} caractères.`;

export type Side = 'candidate' | 'organisation';

export interface ReportEntry {
  reporterKind: Side;
  reason: string;
  at: string;
}

/** One reported conversation, as listed. */
export interface ReportedRow {
  id: string;
  organisationName: string;
  /** The candidate as the organisation sees them (an anonymous CV stays anonymous). */
  candidateName: string;
  subject: string;
  aboutLabel: string;
  reportedAt: string;
  messageCount: number;
  reports: ReportEntry[];
}

export interface ModeratedMessage {
  id: string;
  authorKind: Side;
  authorName: string;
  body: string;
  sentAt: string;
  via: string;
  attachments: { sha256: string; name: string; size: number }[];
}

export interface ReportedDetail {
  row: ReportedRow;
  messages: ModeratedMessage[];
}

export const REPORTER_LABELS: Record<Side, string> = {
  candidate: 'Le candidat',
  organisation: 'L’organisation',
};

export const AUTHOR_SIDE_LABELS: Record<Side, string> = {
  candidate: 'candidat',
  organisation: 'organisation',
};

const VIA_LABELS: Record<string, string> = {
  portal: 'depuis le portail',
  workstation: 'depuis le poste recruteur',
  email: 'par e-mail',
};

export const UNKNOWN_ORGANISATION = 'Organisation inconnue';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
const side = (v: unknown): Side => (v === 'candidate' ? 'candidate' : 'organisation');

function readReports(raw: unknown): ReportEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(isRecord)
    .map((r) => ({ reporterKind: side(r.reporterKind), reason: str(r.reason), at: str(r.at) }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

function readRow(conversation: unknown, reports: unknown): ReportedRow | null {
  if (!isRecord(conversation) || !str(conversation.id)) return null;
  const c = conversation;
  return {
    id: str(c.id),
    organisationName: str(c.organisationName) || UNKNOWN_ORGANISATION,
    candidateName: str(c.candidateName) || 'Candidat',
    subject: str(c.subject) || '(sans objet)',
    aboutLabel: str(c.aboutLabel),
    reportedAt: str(c.reportedAt),
    messageCount: typeof c.messageCount === 'number' ? c.messageCount : 0,
    reports: readReports(reports),
  };
}

/** `GET /api/moderation/conversations` → rows, newest report first; null when unreadable. */
export function readReportedList(raw: unknown): ReportedRow[] | null {
  if (!isRecord(raw) || !Array.isArray(raw.items)) return null;
  const rows: ReportedRow[] = [];
  for (const item of raw.items) {
    if (!isRecord(item)) continue;
    const row = readRow(item.conversation, item.reports);
    if (row) rows.push(row);
  }
  return sortRows(rows);
}

export function sortRows(rows: ReportedRow[]): ReportedRow[] {
  return [...rows].sort((a, b) => b.reportedAt.localeCompare(a.reportedAt) || a.id.localeCompare(b.id));
}

/** `GET /api/moderation/conversations/:id` → the conversation and its messages, oldest first. */
export function readReportedDetail(raw: unknown): ReportedDetail | null {
  if (!isRecord(raw)) return null;
  const row = readRow(raw.conversation, raw.reports);
  if (!row) return null;
  const messages: ModeratedMessage[] = (Array.isArray(raw.messages) ? raw.messages : [])
    .filter(isRecord)
    .map((m) => ({
      id: str(m.id),
      authorKind: side(m.authorKind),
      authorName: str(m.authorName),
      body: str(m.body),
      sentAt: str(m.sentAt),
      via: str(m.via),
      attachments: (Array.isArray(m.attachments) ? m.attachments : []).filter(isRecord).map((a) => ({
        sha256: str(a.sha256),
        name: str(a.name) || 'Pièce jointe',
        size: typeof a.size === 'number' ? a.size : 0,
      })),
    }));
  return { row, messages: oldestFirst(messages) };
}

/** Oldest first, as the server accepted them (`sentAt` increases within a conversation). */
export function oldestFirst(messages: ModeratedMessage[]): ModeratedMessage[] {
  return [...messages].sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.id.localeCompare(b.id));
}

export function removeRow(rows: ReportedRow[], id: string): ReportedRow[] {
  return rows.filter((r) => r.id !== id);
}

export function summariseReported(count: number): string {
  return count === 0
    ? 'Aucune conversation signalée'
    : `${count} ${plural(count, 'conversation signalée', 'conversations signalées')}`;
}

/** « Le candidat, le 05/12/2026 07:12 » */
export function reportByline(report: ReportEntry): string {
  const when = formatDateTime(report.at);
  return when ? `${REPORTER_LABELS[report.reporterKind]}, le ${when}` : REPORTER_LABELS[report.reporterKind];
}

/** « Thomas Garcia (candidat), le 05/12/2026 07:12, depuis le portail » */
export function messageByline(message: ModeratedMessage): string {
  const who = `${message.authorName || 'Auteur inconnu'} (${AUTHOR_SIDE_LABELS[message.authorKind]})`;
  const when = formatDateTime(message.sentAt);
  const via = VIA_LABELS[message.via];
  return [who, when ? `le ${when}` : '', via ?? ''].filter(Boolean).join(', ');
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} Ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

/** The note as sent: line breaks normalised, trimmed; the error as the server words it. */
export function checkNote(note: string): { ok: true; value?: string } | { ok: false; message: string } {
  const value = note.replace(/\r\n?/g, '\n').trim();
  if ([...value].length > NOTE_MAX) return { ok: false, message: NOTE_TOO_LONG };
  return value ? { ok: true, value } : { ok: true };
}

export function decisionBody(decision: Decision, note?: string): { decision: Decision; note?: string } {
  return note ? { decision, note } : { decision };
}

/** The confirmation dialog of a decision. */
export function confirmationOf(
  decision: Decision,
  row: Pick<ReportedRow, 'candidateName' | 'subject'>,
): { title: string; confirmLabel: string; danger: boolean; consequences: string[] } {
  if (decision === 'classer')
    return {
      title: 'Classer ce signalement ?',
      confirmLabel: 'Classer',
      danger: false,
      consequences: [
        `« ${row.subject} » ne sera plus signalée : le candidat et l’organisation peuvent continuer à échanger.`,
        'La décision est enregistrée au journal de la plateforme.',
      ],
    };
  return {
    title: `Suspendre le compte de ${row.candidateName} ?`,
    confirmLabel: 'Suspendre le candidat',
    danger: true,
    consequences: [
      'Le candidat ne pourra plus se connecter, ni écrire ni recevoir de messages ; ses sessions ouvertes sont fermées.',
      'Le signalement est traité et la décision enregistrée au journal de la plateforme.',
    ],
  };
}

/** The announcement after a decision. */
export function decisionDone(
  decision: Decision,
  row: Pick<ReportedRow, 'candidateName' | 'subject'>,
): string {
  return decision === 'classer'
    ? `Signalement classé : « ${row.subject} ».`
    : `Compte de ${row.candidateName} suspendu ; le signalement « ${row.subject} » est traité.`;
}

/**
 * Where a refused decision is explained: `gone` (404: already dealt with or erased — back to the
 * list), the note's field, or a general message.
 */
export function decisionProblem(
  problem: ApiProblem,
):
  | { kind: 'gone'; message: string }
  | { kind: 'note'; message: string }
  | { kind: 'general'; message: string } {
  if (problem.status === 404) return { kind: 'gone', message: problem.message };
  const note = problem.fields?.find((f) => f.field === 'note');
  if (note) return { kind: 'note', message: note.message };
  return {
    kind: 'general',
    message: problem.message || 'La décision n’a pas pu être enregistrée. Réessayez.',
  };
}
