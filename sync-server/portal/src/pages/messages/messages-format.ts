/** Pure helpers of « Mes messages » (issue 7): addresses, dates, labels, list selection. Tested beside. */
import { ABOUT_KINDS, type AboutKind, type CandidateAttachment, type Recipient } from './messages-api';

export const MESSAGES_PATH = '/mes-messages';
export const NEW_MESSAGE_PATH = '/mes-messages/nouveau';
/** Conversations per page of the list (the server's page size). */
export const MESSAGES_PAGE_SIZE = 20;
export const MAX_MESSAGES_PAGE = 10_000;
export const SEARCH_MAX_LENGTH = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id as the server makes them (uuid) or a short slug; never anything that could break a URL. */
const isId = (value: string) => UUID.test(value) || /^[A-Za-z0-9_-]{1,36}$/.test(value);

export const conversationHref = (id: string) => `${MESSAGES_PATH}/${encodeURIComponent(id)}`;

export interface ListSearch {
  q: string;
  page: number;
}

/** `?q=…&page=…` of the list: a page number out of range is page 1, a search is trimmed and bounded. */
export function parseListSearch(search: string): ListSearch {
  const params = new URLSearchParams(search);
  const q = (params.get('q') ?? '').trim().slice(0, SEARCH_MAX_LENGTH);
  const raw = params.get('page');
  const page = raw && /^\d{1,5}$/.test(raw) ? Number(raw) : 1;
  return { q, page: Math.min(Math.max(page, 1), MAX_MESSAGES_PAGE) };
}

export function messagesListHref({ q, page }: ListSearch): string {
  const params = new URLSearchParams();
  if (q.trim()) params.set('q', q.trim());
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${MESSAGES_PATH}?${query}` : MESSAGES_PATH;
}

export function pageCount(total: number, pageSize = MESSAGES_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(Math.max(0, total) / pageSize));
}

export interface About {
  kind: Exclude<AboutKind, 'none'>;
  id: string;
}

/** `sujet=<kind>:<id>` (e.g. `application:…`, `company:…`); null when absent or malformed. */
export function parseAbout(value: string | null | undefined): About | null {
  if (!value) return null;
  const at = value.indexOf(':');
  if (at < 1) return null;
  const kind = value.slice(0, at) as AboutKind;
  const id = value.slice(at + 1);
  if (!ABOUT_KINDS.includes(kind) || kind === 'none' || !isId(id)) return null;
  return { kind, id };
}

export interface NewMessageSearch {
  organisationId: string | null;
  about: About | null;
}

/** `/mes-messages/nouveau?organisation=<id>&sujet=<kind>:<id>` */
export function parseNewMessageSearch(search: string): NewMessageSearch {
  const params = new URLSearchParams(search);
  const organisation = params.get('organisation') ?? '';
  return {
    organisationId: organisation && isId(organisation) ? organisation : null,
    about: parseAbout(params.get('sujet')),
  };
}

export function newMessageHref(
  target: { organisationId?: string | null; about?: About | null } = {},
): string {
  const params = new URLSearchParams();
  if (target.organisationId) params.set('organisation', target.organisationId);
  if (target.about) params.set('sujet', `${target.about.kind}:${target.about.id}`);
  const query = params.toString();
  return query ? `${NEW_MESSAGE_PATH}?${query}` : NEW_MESSAGE_PATH;
}

const ABOUT_PREFIX: Record<Exclude<AboutKind, 'none'>, string> = {
  application: 'Candidature',
  offer: 'Offre',
  cv: 'CV',
  company: 'Entreprise',
};

/** « Candidature : Boulanger (H/F) », or '' when the conversation is about nothing in particular. */
export function aboutText(c: { aboutKind?: AboutKind; aboutLabel?: string }): string {
  if (!c.aboutKind || c.aboutKind === 'none' || !c.aboutLabel) return '';
  return `${ABOUT_PREFIX[c.aboutKind]} : ${c.aboutLabel}`;
}

/** « Vous », or « Julie Martin (Boulangerie Dupont) » for a member writing for the organisation. */
export function authorLabel(
  message: { authorKind: 'candidate' | 'organisation'; authorName: string },
  organisationName: string,
): string {
  if (message.authorKind === 'candidate') return 'Vous';
  const name = message.authorName.trim();
  if (!name || name === organisationName) return organisationName;
  return `${name} (${organisationName})`;
}

const PARIS = 'Europe/Paris';
const dayKey = new Intl.DateTimeFormat('fr-CA', {
  timeZone: PARIS,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const longDate = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const shortDate = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const hourMinute = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function parse(value: string): Date | null {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** « 14 h 03 », « 9 h 10 » */
function time(d: Date): string {
  const parts = hourMinute.formatToParts(d);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return `${hour} h ${minute}`;
}

/** The date of a message: « aujourd’hui à 14 h 03 », « hier à 9 h 10 », « 5 décembre 2026 à 14 h 03 ». */
export function formatMessageDate(value: string, now: Date = new Date()): string {
  const d = parse(value);
  if (!d) return '';
  const day = dayKey.format(d);
  if (day === dayKey.format(now)) return `aujourd’hui à ${time(d)}`;
  if (day === dayKey.format(new Date(now.getTime() - 86_400_000))) return `hier à ${time(d)}`;
  return `${longDate.format(d)} à ${time(d)}`;
}

/** The date in the list: the time for today, else `dd/mm/yyyy`. */
export function formatListDate(value: string, now: Date = new Date()): string {
  const d = parse(value);
  if (!d) return '';
  return dayKey.format(d) === dayKey.format(now) ? time(d) : shortDate.format(d);
}

/** « 1 non lu », « 3 non lus » (French: singular for 0 and 1). */
export function unreadText(count: number): string {
  return `${count} non ${count > 1 ? 'lus' : 'lu'}`;
}

/** « 1 conversation », « 12 conversations » */
export function conversationCount(count: number): string {
  return `${count} conversation${count > 1 ? 's' : ''}`;
}

/** A PDF opens in the browser's viewer; other files download. */
export function isPdf(a: Pick<CandidateAttachment, 'mime' | 'name'>): boolean {
  return a.mime ? a.mime === 'application/pdf' : /\.pdf$/i.test(a.name);
}

/** The subject a new conversation starts with, from what it is about. */
export function defaultSubject(r: Pick<Recipient, 'aboutKind' | 'aboutLabel'> | null | undefined): string {
  const about = r
    ? aboutText({
        ...(r.aboutKind ? { aboutKind: r.aboutKind } : {}),
        ...(r.aboutLabel ? { aboutLabel: r.aboutLabel } : {}),
      })
    : '';
  return about.slice(0, 150);
}

/** One option of the recipient list (an organisation may come once per thing the candidate wrote about). */
export const recipientKey = (r: Pick<Recipient, 'organisationId' | 'aboutKind' | 'aboutId'>) =>
  `${r.organisationId}|${r.aboutKind ?? ''}|${r.aboutId ?? ''}`;

/**
 * The recipient a link asked for: the one about the same thing, else the organisation's first
 * entry; with only a subject (`sujet=application:…`), the entry about it.
 */
export function findRecipient(recipients: readonly Recipient[], wanted: NewMessageSearch): Recipient | null {
  const about = wanted.about;
  const sameAbout = (r: Recipient) => !!about && r.aboutKind === about.kind && r.aboutId === about.id;
  if (wanted.organisationId) {
    const ofOrg = recipients.filter((r) => r.organisationId === wanted.organisationId);
    return ofOrg.find(sameAbout) ?? ofOrg[0] ?? null;
  }
  if (about) return recipients.find(sameAbout) ?? null;
  return null;
}

/** The conversation already about the same thing, to open rather than start another one. */
export function findExistingConversation<
  C extends { id: string; organisationId: string; aboutKind: AboutKind; aboutId?: string },
>(conversations: readonly C[], about: About | null, organisationId: string | null): C | null {
  if (!about) return null;
  return (
    conversations.find(
      (c) =>
        c.aboutKind === about.kind &&
        c.aboutId === about.id &&
        (!organisationId || c.organisationId === organisationId),
    ) ?? null
  );
}

/** Ticked conversations: toggling one, and keeping only those still shown after a reload. */
export function toggleSelection(selected: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(selected);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

export function keepShown(selected: ReadonlySet<string>, shownIds: readonly string[]): Set<string> {
  return new Set(shownIds.filter((id) => selected.has(id)));
}

/** Server field of an attachment (`attachments.2`) → its index, or null. */
export function attachmentIndex(field: string): number | null {
  const m = /^attachments\.(\d+)$/.exec(field);
  return m ? Number(m[1]) : null;
}

/** A file name safe for the draft (no path separators, at most 200 characters). */
export function attachmentName(name: string): string {
  const cleaned = name.replace(/[\\/]/g, '_').trim();
  return [...cleaned].slice(0, 200).join('') || 'document';
}
