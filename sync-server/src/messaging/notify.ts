/**
 * E-mail notification of a new message to the candidate (issue 7). Called by the messaging service
 * inside the transaction that stored a message written by the organisation: the e-mail is queued
 * (`queueEmail`) exactly when the message is committed, once per message (`dedupeKey`).
 *
 * - To the candidate's account address, only when the account is active (not disabled, not
 *   erased) and its address confirmed (the e-mail carries the message's text: never to an address
 *   nobody proved to own). There are no per-account e-mail notification settings yet: a candidate
 *   who wants no more messages from an organisation blocks it.
 * - « Nouveau message de <organisation> », the text, the attachments' names, a link to the
 *   conversation on the portal, and « Répondez directement à cet e-mail »: `Reply-To` is the
 *   conversation's signed reply address (reply-address.ts), read by the SMTP receiver (inbound.ts).
 * - Digest: when the candidate was e-mailed about messages less than 30 minutes ago and has not
 *   read this conversation since (or other messages already wait), the message waits in
 *   `messaging_mail_pending`; the `messaging-digest` job (jobs/messaging-digest.ts) then sends ONE
 *   e-mail listing them per conversation, leaving out those the candidate read meanwhile.
 */

import { FILE_PURPOSES, formatMegabytes } from '../../../shared/domain/files';
import { MESSAGE_LIMITS } from '../../../shared/domain/messaging';
import type { ConversationDoc } from '../../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../../shared/schemas/message.schema';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import { queueEmail } from '../email/outbox';
import type { SyncEngine } from '../sync/engine';
import { replyAddress } from './reply-address';

/** Within this delay of the previous e-mail, new messages wait for the digest. */
export const DIGEST_WINDOW_MS = 30 * 60 * 1000;
/** Longest text of one message in a digest (the whole message is on the portal). */
export const DIGEST_EXCERPT_CHARS = 1500;

/** The portal's page of a conversation. */
export function conversationLink(base: string, conversationId: string): string {
  return `${base.replace(/\/+$/, '')}/mes-messages/${encodeURIComponent(conversationId)}`;
}

/** « 5 décembre 2026 à 10:12 » (Paris time). */
export function frenchDateTime(value: Date | string): string {
  return new Date(value).toLocaleString('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  });
}

export const REPLY_BY_EMAIL_LINE =
  'Répondez directement à cet e-mail : votre réponse sera ajoutée à la conversation. ' +
  `Écrivez au-dessus du message cité ; vous pouvez joindre jusqu’à ${MESSAGE_LIMITS.attachments} fichiers ` +
  `(${listFormats(FILE_PURPOSES.message.types)}, ${formatMegabytes(MESSAGE_LIMITS.attachmentBytes)} au plus chacun).`;

function listFormats(types: readonly string[]): string {
  const names = types.map((t) => t.toUpperCase());
  return names.length > 1
    ? `${names.slice(0, -1).join(', ')} ou ${names[names.length - 1]}`
    : (names[0] ?? '');
}

/**
 * Base of the portal's links when the caller has none (a message pushed by a workstation has no
 * request to read it from): server.ts sets it to `PUBLIC_URL` or the address it listens on.
 */
let defaultBase: () => string | undefined = () => undefined;

export function configureNotificationLinks(base: () => string | undefined): void {
  defaultBase = base;
}

const FOOTER =
  'Vous recevez cet e-mail car une organisation vous a écrit dans votre espace candidat (« Mes messages »). ' +
  'Pour ne plus recevoir les messages d’une organisation, bloquez-la depuis la conversation.';

function portalLine(base: string | undefined, conversationId: string): string {
  return base
    ? `Lire la conversation sur le portail :\n${conversationLink(base, conversationId)}`
    : 'Lisez la conversation dans votre espace candidat, rubrique « Mes messages ».';
}

function attachmentsLine(names: readonly string[]): string[] {
  return names.length > 0 ? ['', `Pièces jointes (à ouvrir sur le portail) : ${names.join(', ')}`] : [];
}

/** Subject and text of the e-mail of one message. */
export function notificationEmail(input: {
  firstName: string;
  organisationName: string;
  subject: string;
  authorName: string;
  sentAt: string;
  body: string;
  attachmentNames: readonly string[];
  conversationId: string;
  base: string | undefined;
}): { subject: string; text: string } {
  const org = input.organisationName.trim() || 'une organisation';
  const author = input.authorName.trim();
  return {
    subject: `Nouveau message de ${org} : ${input.subject}`,
    text: [
      `Bonjour${input.firstName.trim() ? ` ${input.firstName.trim()}` : ''},`,
      '',
      `Nouveau message de ${org} dans « Mes messages ».`,
      '',
      `Objet : ${input.subject}`,
      `De : ${author && author !== org ? `${author} (${org})` : org}`,
      `Le ${frenchDateTime(input.sentAt)}`,
      '',
      input.body,
      ...attachmentsLine(input.attachmentNames),
      '',
      REPLY_BY_EMAIL_LINE,
      '',
      portalLine(input.base, input.conversationId),
      '',
      '--',
      FOOTER,
    ].join('\n'),
  };
}

/** A waiting message, as the digest lists it. */
export interface DigestItem {
  conversationId: string;
  organisationName: string;
  subject: string;
  authorName: string;
  body: string;
  attachmentNames: string[];
  sentAt: string;
}

function excerpt(body: string): string {
  const chars = [...body];
  return chars.length > DIGEST_EXCERPT_CHARS
    ? `${chars.slice(0, DIGEST_EXCERPT_CHARS).join('').trimEnd()} […] (suite sur le portail)`
    : body;
}

/**
 * Subject and text of a digest: the messages per conversation, oldest first. With one
 * conversation the e-mail is answered directly (its reply address); with several, each
 * conversation has its link.
 */
export function digestEmail(input: {
  firstName: string;
  items: readonly DigestItem[];
  base: string | undefined;
}): { subject: string; text: string } {
  const groups = new Map<string, DigestItem[]>();
  for (const item of input.items) {
    const group = groups.get(item.conversationId);
    if (group) group.push(item);
    else groups.set(item.conversationId, [item]);
  }
  const n = input.items.length;
  const orgs = [...new Set(input.items.map((i) => i.organisationName.trim() || 'une organisation'))];
  const single = groups.size === 1;
  const count = n === 1 ? '1 nouveau message' : `${n} nouveaux messages`;
  const subject =
    orgs.length === 1
      ? `${count} de ${orgs[0]}`
      : `${count} de ${orgs.length} organisations dans « Mes messages »`;
  const lines: string[] = [
    `Bonjour${input.firstName.trim() ? ` ${input.firstName.trim()}` : ''},`,
    '',
    single
      ? `Vous avez ${count} dans la conversation « ${input.items[0]?.subject ?? ''} ».`
      : `Vous avez ${count} dans ${groups.size} conversations de « Mes messages ».`,
  ];
  let index = 0;
  for (const [conversationId, items] of groups) {
    index++;
    const first = items[0]!;
    const org = first.organisationName.trim() || 'une organisation';
    lines.push(
      '',
      '==========',
      single
        ? `${org} — « ${first.subject} »`
        : `${index}. ${org} — « ${first.subject} » (${items.length === 1 ? '1 message' : `${items.length} messages`})`,
      '==========',
    );
    for (const item of items) {
      const author = item.authorName.trim();
      lines.push(
        '',
        `De ${author && author !== org ? `${author} (${org})` : org}, le ${frenchDateTime(item.sentAt)} :`,
        '',
        excerpt(item.body),
        ...attachmentsLine(item.attachmentNames),
      );
    }
    if (!single) lines.push('', portalLine(input.base, conversationId));
  }
  lines.push('');
  if (single) {
    lines.push(REPLY_BY_EMAIL_LINE, '', portalLine(input.base, first(groups)));
  } else {
    lines.push(
      'Pour répondre, ouvrez chaque conversation par son lien ci-dessus (ou répondez à l’e-mail de notification de cette conversation).',
    );
  }
  lines.push('', '--', FOOTER);
  return { subject, text: lines.join('\n') };
}

function first(groups: Map<string, unknown>): string {
  return groups.keys().next().value ?? '';
}

// ---------------------------------------------------------------------------------------------
// Lookups

interface CandidateRow {
  email: string;
  first_name: string;
  kind: string;
  disabled_at: Date | string | null;
  email_confirmed_at: Date | string | null;
}

/** The candidate's address and first name when they may be e-mailed about messages, else null. */
export async function notifiableCandidate(
  q: Queryable,
  accountId: string,
): Promise<{ email: string; firstName: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(accountId)) return null;
  const { rows } = await q.query<CandidateRow>(
    'select email, first_name, kind, disabled_at, email_confirmed_at from accounts where id = $1',
    [accountId],
  );
  const a = rows[0];
  if (a?.kind !== 'candidate' || a.disabled_at || !a.email_confirmed_at) return null;
  return { email: a.email, firstName: a.first_name };
}

/**
 * The live conversation document of this id (the `conversations` collection's table), null when
 * it does not exist or was erased; undefined when the collection is not registered.
 */
export async function conversationDoc(
  q: Queryable,
  engine: SyncEngine,
  id: string,
): Promise<ConversationDoc | null | undefined> {
  const table = engine.collection('conversations')?.table;
  if (!table) return undefined;
  const { rows } = await q.query<{ doc: ConversationDoc }>(
    `select doc from ${table} where id = $1 and not deleted`,
    [id],
  );
  return rows[0]?.doc ?? null;
}

const time = (value: string | Date | null | undefined): number => {
  if (!value) return Number.NaN;
  return new Date(value).getTime();
};

/** Locks and returns when the candidate was last e-mailed about messages. */
export async function lockMailState(tx: Queryable, accountId: string): Promise<Date | null> {
  await tx.query('insert into messaging_mail_state (account_id) values ($1) on conflict do nothing', [
    accountId,
  ]);
  const { rows } = await tx.query<{ last_notified_at: Date | string | null }>(
    'select last_notified_at from messaging_mail_state where account_id = $1 for update',
    [accountId],
  );
  const at = rows[0]?.last_notified_at;
  return at ? new Date(at) : null;
}

// ---------------------------------------------------------------------------------------------
// The contract

export async function notifyCandidateOfMessage(
  tx: Queryable,
  input: { conversation: ConversationDoc; message: MessageDoc; base: string | undefined },
): Promise<void> {
  const { conversation, message } = input;
  if (message.authorKind !== 'organisation') return;
  const accountId = conversation.candidateId || message.candidateId;
  const candidate = accountId ? await notifiableCandidate(tx, accountId) : null;
  if (!candidate) return;
  const now = clock.now();
  const attachmentNames = (message.attachments ?? []).map((a) => a.name);

  const lastNotified = await lockMailState(tx, accountId);
  // Messages of this conversation the candidate has read since they were put aside wait no more.
  if (conversation.candidateReadAt)
    await tx.query(
      'delete from messaging_mail_pending where account_id = $1 and conversation_id = $2 and sent_at <= $3',
      [accountId, conversation.id, conversation.candidateReadAt],
    );
  const waiting = await tx.query('select 1 from messaging_mail_pending where account_id = $1 limit 1', [
    accountId,
  ]);
  const recent = lastNotified !== null && now.getTime() - lastNotified.getTime() < DIGEST_WINDOW_MS;
  const readSince = lastNotified !== null && time(conversation.candidateReadAt) >= lastNotified.getTime();
  if (waiting.rows.length > 0 || (recent && !readSince)) {
    await tx.query(
      `insert into messaging_mail_pending
         (account_id, conversation_id, message_id, organisation_name, subject, author_name, body,
          attachment_names, sent_at, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)
       on conflict (message_id) do nothing`,
      [
        accountId,
        conversation.id,
        message.id,
        conversation.organisationName ?? '',
        conversation.subject,
        message.authorName,
        message.body,
        JSON.stringify(attachmentNames),
        message.sentAt,
        now.toISOString(),
      ],
    );
    return;
  }

  const mail = notificationEmail({
    firstName: candidate.firstName,
    organisationName: conversation.organisationName ?? '',
    subject: conversation.subject,
    authorName: message.authorName,
    sentAt: message.sentAt,
    body: message.body,
    attachmentNames,
    conversationId: conversation.id,
    base: input.base ?? defaultBase(),
  });
  const queued = await queueEmail(tx, {
    to: candidate.email,
    subject: mail.subject,
    text: mail.text,
    replyTo: await replyAddress(tx, conversation.id, accountId),
    dedupeKey: `messaging-notify:${message.id}`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  if (queued)
    await tx.query('update messaging_mail_state set last_notified_at = $2 where account_id = $1', [
      accountId,
      now.toISOString(),
    ]);
}
