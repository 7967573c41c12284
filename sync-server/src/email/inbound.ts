/**
 * The server's SMTP receiver (issue 7, reply by e-mail): a candidate answers a notification
 * e-mail and their answer lands in the conversation.
 *
 * - Started by the server when `SMTP_INBOUND_PORT` is set (no authentication, no TLS: put it
 *   behind the MX of the reply domain, `MAIL_REPLY_DOMAIN`); 15 MB per message.
 * - RCPT TO: only reply addresses that verify (messaging/reply-address.ts); anything else,
 *   forged or altered, gets `550` with a French text, before any data is sent.
 * - DATA: the From address must be the candidate account's e-mail (case-insensitive), else `550`
 *   with a French text and nothing else (no message, no e-mail to anyone). Then parsed with mailparser; the new text only (quoted lines `>`, « Le … a écrit : » and
 *   everything after, the signature after `-- `); attachments checked by content for the
 *   `message` use and stored like `PUT /api/files`; then `appendCandidateMessage(…, via: 'email')`.
 * - When the rules refuse (block, disabled account, rate limit, empty or invalid message…), the
 *   SMTP answer is still `250` (the message was handled) and the candidate receives a French
 *   e-mail saying why, at their account's address (never at an address read from the message,
 *   so a forged sender gets nothing), at most `INBOUND_REFUSALS_PER_HOUR` per conversation and
 *   hour; the files of a refused reply are not kept. Never a loop: nothing is answered to automatic mail
 *   (`Auto-Submitted`, `Precedence: bulk|junk|list`, auto-replies), to an empty sender (bounces),
 *   nor to our own addresses; such mail is not added to conversations either.
 * - A message delivered twice (an SMTP client retrying after a lost answer) lands once: its
 *   Message-ID (or, without one, its bytes' hash) is kept per conversation.
 * - A failure of our own (database) answers `451`: the sending server retries later; a claim left
 *   `processing` by a crash is taken over by a retry after `INBOUND_CLAIM_STALE_MS`.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { SessionUser } from '../../../shared/domain/account';
import { checkFileContent, type FilePurpose, MEGABYTE } from '../../../shared/domain/files';
import {
  MESSAGE_LIMITS,
  type MessageAttachment,
  validateMessageDraft,
} from '../../../shared/domain/messaging';
import type { FieldError } from '../../../shared/sync/errors';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { storeFile } from '../files/routes';
import { HttpError } from '../http-error';
import { conversationDoc, conversationLink, frenchDateTime } from '../messaging/notify';
import { bareAddress, domainOf, replyDomain, verifyReplyAddress } from '../messaging/reply-address';
import type { appendCandidateMessage } from '../messaging/service';
import type { SyncEngine } from '../sync/engine';
import { MAIL_FROM, queueEmail } from './outbox';

/** Largest message accepted (attachments included, as encoded in the message). */
export const INBOUND_MAX_BYTES = 15 * MEGABYTE;
/** Reply addresses per message (a reply goes to one; a few copies are tolerated). */
export const INBOUND_MAX_RECIPIENTS = 10;

/** Attachments are checked as an upload `PUT /api/files/:sha256?purpose=message` would be. */
export const MESSAGE_FILE_PURPOSE: FilePurpose = 'message';

export const INBOUND_MESSAGES = {
  unknownRecipient:
    'Adresse de réponse inconnue ou altérée : répondez directement à l’e-mail de notification reçu, sans modifier son adresse.',
  tooManyRecipients: 'Trop de destinataires pour un même message.',
  tooLarge: `Message trop volumineux : ${INBOUND_MAX_BYTES / MEGABYTE} Mo au plus, pièces jointes comprises.`,
  temporary: 'Erreur temporaire du serveur : le message sera accepté lors d’un prochain essai.',
  empty:
    'Votre réponse est vide : écrivez votre message au-dessus du message cité (le texte cité et la signature sont retirés).',
  wrongSender:
    'Adresse d’expéditeur refusée : répondez depuis l’adresse e-mail de votre compte candidat, ou écrivez depuis « Mes messages » sur le portail.',
} as const;

/** Polite refusal e-mails sent to a candidate per conversation and hour, at most (no mail storm). */
export const INBOUND_REFUSALS_PER_HOUR = 3;
/** A claim (`processing`) older than this is taken over by the sender's retry (a crash left it). */
export const INBOUND_CLAIM_STALE_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------
// The new text of a reply

const ATTRIBUTION_START = /^\s*(le|on)\s/i;
const ATTRIBUTION_END = /(a\s+écrit|wrote)\s*:\s*$/i;
const ORIGINAL_MESSAGE =
  /^\s*(-{2,}\s*(original message|message d['’]origine|message original|courriel original|message transféré|forwarded message)\s*-{2,}|_{10,})\s*$/i;
const OUTLOOK_FROM = /^\s*\*?(de|from)\s*:/i;
const OUTLOOK_NEXT = /^\s*\*?(envoyé|date|sent|à|to|objet|subject)\s*:/i;
const MOBILE_SIGNATURE = /^\s*(envoyé|sent|envoyé depuis|expédié)\s+(de|depuis|from)\s+(mon|my)\s+\S+.*$/i;

/**
 * The new text of a reply: quoted lines (`>`) removed; the attribution « Le … a écrit : » (or
 * « On … wrote: », possibly over three lines, or Outlook's « De : … Envoyé : … » block or
 * « Message d’origine » line) and everything after it cut; the signature after `-- ` cut; a
 * trailing « Envoyé de mon iPhone » removed; blank lines trimmed.
 */
export function extractReplyText(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^-- ?$/.test(line)) break;
    if (ORIGINAL_MESSAGE.test(line)) break;
    if (ATTRIBUTION_START.test(line)) {
      const block = [line, lines[i + 1] ?? '', lines[i + 2] ?? ''];
      const end = block.findIndex((_, n) => ATTRIBUTION_END.test(block.slice(0, n + 1).join(' ')));
      if (end >= 0 && block.slice(1, end + 1).every((l) => l.trim() !== '' && !/^\s*>/.test(l))) break;
    }
    if (OUTLOOK_FROM.test(line) && lines.slice(i + 1, i + 4).some((l) => OUTLOOK_NEXT.test(l))) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line.replace(/\s+$/, ''));
  }
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === '') kept.pop();
  if (kept.length > 0 && MOBILE_SIGNATURE.test(kept[kept.length - 1]!)) kept.pop();
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Whether a message was sent by a program (auto-reply, list, bounce): never answered, never added. */
export function isAutomatic(parsed: Pick<ParsedMail, 'headers'>, envelopeFrom: string): boolean {
  if (!envelopeFrom.trim()) return true;
  const h = (name: string) => {
    const v = parsed.headers.get(name);
    return typeof v === 'string' ? v.trim().toLowerCase() : v ? String(v).toLowerCase() : '';
  };
  const auto = h('auto-submitted');
  if (auto && auto !== 'no') return true;
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(h('precedence'))) return true;
  if (h('x-autoreply') || h('x-autorespond') || h('x-auto-response-suppress').includes('all')) return true;
  const from = bareAddress(envelopeFrom);
  return /^(mailer-daemon|postmaster)@/.test(from);
}

// ---------------------------------------------------------------------------------------------
// Handling one received message

export interface InboundConversation {
  candidateId: string;
  subject: string;
  organisationName: string;
}

export interface InboundDeps {
  db: Database;
  engine: SyncEngine;
  /** The messaging service's door (messaging/service.ts); injectable for tests. */
  append: typeof appendCandidateMessage;
  /** The conversation of an id (default: the `conversations` collection), null when there is none. */
  findConversation?: (q: Queryable, id: string) => Promise<InboundConversation | null>;
  /** Base of the portal's links in the answers (`PUBLIC_URL` or the address listened on). */
  base?: () => string | undefined;
  /** Our own sender address (`MAIL_FROM`): mail from it is never answered. */
  mailFrom?: string;
  log?: (line: string) => void;
}

export type InboundOutcome = 'appended' | 'duplicate' | 'ignored' | 'refused' | 'wrong-sender';

/**
 * Whether the message's From address is the candidate account's e-mail (case-insensitive): a
 * reply address alone (a forwarded notification, a leaked address) is not enough to write in
 * someone's name.
 */
export async function senderMatchesAccount(
  q: Queryable,
  accountId: string,
  parsed: Pick<ParsedMail, 'from'>,
): Promise<boolean> {
  const from = bareAddress(parsed.from?.value?.[0]?.address ?? '');
  if (!from) return false;
  const { rows } = await q.query<{ email: string }>('select email from accounts where id = $1', [accountId]);
  const email = rows[0] ? bareAddress(rows[0].email) : '';
  return !!email && email.toLowerCase() === from.toLowerCase();
}

function conversationFinder(deps: InboundDeps) {
  return (
    deps.findConversation ??
    (async (q: Queryable, id: string): Promise<InboundConversation | null> => {
      const doc = await conversationDoc(q, deps.engine, id);
      return doc
        ? { candidateId: doc.candidateId, subject: doc.subject, organisationName: doc.organisationName ?? '' }
        : null;
    })
  );
}

/** The conversation and candidate a recipient address designates, or null (unknown, forged). */
export async function verifyRecipient(
  deps: InboundDeps,
  address: string,
): Promise<{ conversationId: string; accountId: string } | null> {
  const find = conversationFinder(deps);
  return verifyReplyAddress(deps.db, address, async (id) => (await find(deps.db, id))?.candidateId || null);
}

function safeFileName(name: string | undefined, index: number): string {
  const cleaned = [...(name ?? '')]
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we drop.
    .filter((c) => !/[\u0000-\u001f\u007f-\u009f]/.test(c))
    .join('')
    .replace(/[\\/]+/g, '_')
    .trim();
  const chars = [...cleaned];
  if (chars.length === 0) return `piece-jointe-${index + 1}`;
  if (chars.length <= MESSAGE_LIMITS.attachmentName) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return chars.slice(0, MESSAGE_LIMITS.attachmentName - [...ext].length).join('') + ext;
}

/** The files of a message a person attached (not the images a signature or an HTML body embeds). */
function attachedFiles(parsed: ParsedMail) {
  return parsed.attachments.filter(
    (a) => a.contentDisposition === 'attachment' || (!a.related && a.contentDisposition !== 'inline'),
  );
}

/** Whom and what to answer when a reply is refused (the candidate's account address). */
async function queueRefusal(
  deps: InboundDeps,
  input: {
    accountId: string;
    conversationId: string;
    conversation: InboundConversation | null;
    messageKey: string;
    reason: string;
    fields?: FieldError[];
    text: string;
    receivedAt: Date;
  },
): Promise<void> {
  const { rows } = await deps.db.query<{ email: string; first_name: string }>(
    'select email, first_name from accounts where id = $1',
    [input.accountId],
  );
  const account = rows[0];
  if (!account) return;
  const to = bareAddress(account.email);
  if (isOwnAddress(deps, to)) return;
  // At most a few polite answers per conversation and hour: a program (or a person) sending
  // reply after reply never turns the server into a mail cannon aimed at the candidate.
  const since = new Date(input.receivedAt.getTime() - 3_600_000).toISOString();
  const recent = await deps.db.query<{ n: number }>(
    `select count(*)::int as n from messaging_mail_inbound
      where conversation_id = $1 and outcome = 'refused' and received_at > $2::timestamptz`,
    [input.conversationId, since],
  );
  if (Number(recent.rows[0]?.n ?? 0) >= INBOUND_REFUSALS_PER_HOUR) {
    deps.log?.(`réponse par e-mail refusée sans nouvel e-mail (limite horaire) : ${input.conversationId}`);
    return;
  }
  const subject = input.conversation?.subject ?? '';
  const org = input.conversation?.organisationName.trim() || 'l’organisation';
  const base = deps.base?.();
  const quoted = [...input.text].slice(0, 2000).join('');
  const text = [
    `Bonjour${account.first_name ? ` ${account.first_name}` : ''},`,
    '',
    `Votre réponse par e-mail du ${frenchDateTime(input.receivedAt)}${subject ? ` à la conversation « ${subject} »` : ''} n’a pas été ajoutée à la conversation : rien n’a été transmis à ${org}.`,
    '',
    `Raison : ${input.reason}`,
    ...(input.fields ?? []).filter((f) => f.message !== input.reason).map((f) => `- ${f.message}`),
    ...(quoted
      ? ['', 'Votre message, pour le conserver :', '', ...quoted.split('\n').map((l) => `> ${l}`)]
      : []),
    '',
    base
      ? `Votre conversation sur le portail :\n${conversationLink(base, input.conversationId)}`
      : 'Retrouvez la conversation dans votre espace candidat, rubrique « Mes messages ».',
    '',
    '--',
    'Cet e-mail est envoyé automatiquement : n’y répondez pas.',
  ].join('\n');
  await queueEmail(deps.db, {
    to,
    subject: `Votre réponse n’a pas été ajoutée à la conversation${subject ? ` « ${subject} »` : ''}`,
    text,
    dedupeKey: `messaging-inbound-refused:${input.messageKey}:${input.conversationId}`,
    headers: { 'Auto-Submitted': 'auto-replied' },
  });
}

function isOwnAddress(deps: InboundDeps, address: string): boolean {
  const a = bareAddress(address);
  if (!a) return false;
  if (a === bareAddress(deps.mailFrom ?? process.env.MAIL_FROM ?? MAIL_FROM)) return true;
  return domainOf(a) === replyDomain() && /^r-/.test(a);
}

/** The key a delivered message is known by: its Message-ID, else its bytes. */
export function messageKeyOf(parsed: Pick<ParsedMail, 'messageId'>, raw: Uint8Array): string {
  const hash = createHash('sha256');
  const id = parsed.messageId?.trim();
  if (id) hash.update(`id:${id}`);
  else hash.update('raw:').update(raw);
  return hash.digest('hex');
}

/**
 * Handles a received message for one verified recipient: adds it to the conversation, or answers
 * why not. Throws only on a failure of ours (the SMTP answer is then `451`, retried later).
 */
export async function handleInboundMessage(
  deps: InboundDeps,
  input: {
    raw: Uint8Array;
    parsed: ParsedMail;
    envelopeFrom: string;
    conversationId: string;
    accountId: string;
  },
): Promise<InboundOutcome> {
  const { parsed, conversationId, accountId } = input;
  const messageKey = messageKeyOf(parsed, input.raw);
  const now = clock.now();
  // A claim left `processing` by a crash is taken over after a while (the sender retries).
  const claimed = await deps.db.query(
    `insert into messaging_mail_inbound (message_key, conversation_id, account_id, outcome, received_at)
     values ($1, $2, $3, 'processing', $4)
     on conflict (message_key, conversation_id) do update set received_at = excluded.received_at
       where messaging_mail_inbound.outcome = 'processing' and messaging_mail_inbound.received_at < $5::timestamptz
     returning message_key`,
    [
      messageKey,
      conversationId,
      accountId,
      now.toISOString(),
      new Date(now.getTime() - INBOUND_CLAIM_STALE_MS).toISOString(),
    ],
  );
  if (claimed.rows.length === 0) return 'duplicate';
  const settle = (outcome: InboundOutcome) =>
    deps.db.query(
      'update messaging_mail_inbound set outcome = $3 where message_key = $1 and conversation_id = $2',
      [messageKey, conversationId, outcome],
    );
  let appended = false;
  // Files this message stored (to take back when the message does not land).
  const storedFiles: { sha256: string; fileCreated: boolean; uploaderCreated: boolean }[] = [];
  const forgetStoredFiles = async () => {
    for (const f of storedFiles.splice(0)) {
      const unreferenced = 'not exists (select 1 from file_refs r where r.sha256 = $1)';
      if (f.uploaderCreated)
        await deps.db.query(
          `delete from file_uploaders where sha256 = $1 and account_id = $2 and ${unreferenced}`,
          [f.sha256, accountId],
        );
      if (f.fileCreated)
        await deps.db.query(
          `delete from files where sha256 = $1 and ${unreferenced}
              and not exists (select 1 from file_uploaders u where u.sha256 = $1)`,
          [f.sha256],
        );
    }
  };
  try {
    const fromHeader = parsed.from?.value?.[0]?.address ?? '';
    if (
      isAutomatic(parsed, input.envelopeFrom) ||
      isOwnAddress(deps, input.envelopeFrom) ||
      isOwnAddress(deps, fromHeader)
    ) {
      deps.log?.(`réponse par e-mail ignorée (message automatique) pour la conversation ${conversationId}`);
      await settle('ignored');
      return 'ignored';
    }
    if (!(await senderMatchesAccount(deps.db, accountId, parsed))) {
      // Answered `550` by the SMTP server; nothing stored, no e-mail to anyone.
      await deps.db.query(
        'delete from messaging_mail_inbound where message_key = $1 and conversation_id = $2',
        [messageKey, conversationId],
      );
      deps.log?.(`réponse par e-mail refusée (expéditeur différent du compte) : ${conversationId}`);
      return 'wrong-sender';
    }
    const conversation = await conversationFinder(deps)(deps.db, conversationId);
    const text = extractReplyText(parsed.text ?? '');
    const refuse = async (reason: string, fields?: FieldError[]) => {
      await queueRefusal(deps, {
        accountId,
        conversationId,
        conversation,
        messageKey,
        reason,
        ...(fields ? { fields } : {}),
        text,
        receivedAt: now,
      });
      await settle('refused');
      return 'refused' as const;
    };

    // Attachments: checked by content, as an upload of the `message` use would be.
    const files = attachedFiles(parsed);
    if (files.length > MESSAGE_LIMITS.attachments)
      return refuse(`Vous pouvez joindre au plus ${MESSAGE_LIMITS.attachments} fichiers à un message.`);
    const checked: { name: string; bytes: Uint8Array; mime: string; sha256: string }[] = [];
    const fileErrors: FieldError[] = [];
    files.forEach((file, i) => {
      const name = safeFileName(file.filename, i);
      const check = checkFileContent(MESSAGE_FILE_PURPOSE, file.content);
      if (!check.ok)
        fileErrors.push({ field: `attachments.${i}`, message: `« ${name} » : ${check.message}` });
      else
        checked.push({
          name,
          bytes: file.content,
          mime: check.mime,
          sha256: createHash('sha256').update(file.content).digest('hex'),
        });
    });
    if (fileErrors.length > 0)
      return refuse('Une ou plusieurs pièces jointes ont été refusées :', fileErrors);

    const body = text || (checked.length > 0 ? 'Pièces jointes envoyées par e-mail.' : '');
    if (!body) return refuse(INBOUND_MESSAGES.empty);
    const attachments: MessageAttachment[] = [];
    for (const f of checked)
      if (!attachments.some((a) => a.sha256 === f.sha256))
        attachments.push({ sha256: f.sha256, name: f.name, size: f.bytes.length });
    const draft = validateMessageDraft({ subject: 'réponse', body, attachments });
    if (!draft.ok) return refuse('Le message ne peut pas être envoyé tel quel :', draft.errors);

    // Stored before the message refers to them, like an upload from the portal.
    const uploader = { id: accountId } as SessionUser;
    for (const f of checked) {
      if (!attachments.some((a) => a.sha256 === f.sha256)) continue;
      if (storedFiles.some((s) => s.sha256 === f.sha256)) continue;
      const had = await deps.db.query('select 1 from file_uploaders where sha256 = $1 and account_id = $2', [
        f.sha256,
        accountId,
      ]);
      const stored = await storeFile(deps.db, uploader, f.sha256, MESSAGE_FILE_PURPOSE, f.mime, f.bytes);
      storedFiles.push({
        sha256: f.sha256,
        fileCreated: stored.created,
        uploaderCreated: had.rows.length === 0,
      });
    }
    try {
      await deps.append(deps.db, deps.engine, {
        accountId,
        conversationId,
        body: draft.value.body,
        attachments: draft.value.attachments,
        via: 'email',
      });
      appended = true;
    } catch (error) {
      // The message did not land: neither do its files.
      await forgetStoredFiles();
      if (error instanceof HttpError && error.status >= 400 && error.status < 500)
        return refuse(error.message, error.fields);
      throw error;
    }
    await settle('appended');
    return 'appended';
  } catch (error) {
    // Not handled: forget the claim so the sender's retry is handled (unless the message landed).
    if (appended) {
      deps.log?.(`réponse par e-mail ajoutée, état non enregistré : ${String(error)}`);
      return 'appended';
    }
    await forgetStoredFiles().catch(() => undefined);
    await deps.db
      .query('delete from messaging_mail_inbound where message_key = $1 and conversation_id = $2', [
        messageKey,
        conversationId,
      ])
      .catch(() => undefined);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The SMTP server

export interface InboundSmtp {
  port: number;
  host: string;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

const envelopeFromOf = (session: SMTPServerSession): string =>
  session.envelope.mailFrom ? session.envelope.mailFrom.address : '';

export async function startInboundSmtp(
  deps: InboundDeps,
  options: { host: string; port: number },
): Promise<InboundSmtp> {
  const verified = new Map<string, { conversationId: string; accountId: string }[]>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: INBOUND_MAX_BYTES,
    banner: 'Reponses par e-mail a la messagerie',
    onMailFrom(_address, session, callback) {
      verified.delete(session.id);
      callback();
    },
    onRcptTo(address, session, callback) {
      const list = verified.get(session.id) ?? [];
      if (list.length >= INBOUND_MAX_RECIPIENTS)
        return callback(smtpError(452, INBOUND_MESSAGES.tooManyRecipients));
      verifyRecipient(deps, address.address).then(
        (target) => {
          if (!target) return callback(smtpError(550, INBOUND_MESSAGES.unknownRecipient));
          if (!list.some((t) => t.conversationId === target.conversationId)) list.push(target);
          verified.set(session.id, list);
          callback();
        },
        (error: unknown) => {
          deps.log?.(`vérification d’une adresse de réponse impossible : ${String(error)}`);
          callback(smtpError(451, INBOUND_MESSAGES.temporary));
        },
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        const targets = verified.get(session.id) ?? [];
        verified.delete(session.id);
        if (stream.sizeExceeded) return callback(smtpError(552, INBOUND_MESSAGES.tooLarge));
        const raw = Buffer.concat(chunks);
        (async () => {
          const parsed = await (await import('mailparser')).simpleParser(raw);
          const envelopeFrom = envelopeFromOf(session);
          const fromHeader = parsed.from?.value?.[0]?.address ?? '';
          // From an address other than the candidate's account: refused whole, before anything.
          if (
            !isAutomatic(parsed, envelopeFrom) &&
            !isOwnAddress(deps, envelopeFrom) &&
            !isOwnAddress(deps, fromHeader)
          )
            for (const target of targets)
              if (!(await senderMatchesAccount(deps.db, target.accountId, parsed))) return 'wrong-sender';
          for (const target of targets)
            await handleInboundMessage(deps, {
              raw,
              parsed,
              envelopeFrom,
              ...target,
            });
          return 'handled';
        })().then(
          (outcome) =>
            outcome === 'wrong-sender' ? callback(smtpError(550, INBOUND_MESSAGES.wrongSender)) : callback(),
          (error: unknown) => {
            deps.log?.(
              `réponse par e-mail non traitée : ${error instanceof Error ? error.message : String(error)}`,
            );
            callback(smtpError(451, INBOUND_MESSAGES.temporary));
          },
        );
      });
    },
    onClose(session) {
      verified.delete(session.id);
    },
  });
  server.on('error', (error) => deps.log?.(`récepteur SMTP : ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    host: options.host,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
