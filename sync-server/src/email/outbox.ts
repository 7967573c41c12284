import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Database, Queryable } from '../db/database';

/**
 * The e-mail outbox (DESIGN §4, server-only tables). A module that must tell someone something by
 * e-mail queues it with `queueEmail` in the same transaction as the change it reports: the e-mail
 * exists exactly when the change was committed. A sender loop then delivers queued e-mails through
 * a transport, retrying with a growing delay; several server instances may run the loop at once
 * (each row is claimed for a while before it is sent).
 */

export interface QueuedEmail {
  to: string;
  subject: string;
  text: string;
  /** Queueing twice with the same key sends one e-mail (retried jobs, repeated requests). */
  dedupeKey?: string;
  /** Copies (« Cc »). */
  cc?: string[];
  /** Where replies go (e.g. the candidate who sends their CV). */
  replyTo?: string;
  /** Files sent with the e-mail (kept in the outbox row until it is sent). */
  attachments?: MailAttachment[];
  /** Extra headers, from a small allow-list (see `MAIL_HEADER_NAMES`). */
  headers?: MailHeaders;
}

/**
 * The extra headers an e-mail may carry: the list headers of the alert e-mails (RFC 2369
 * `List-Unsubscribe`, RFC 8058 `List-Unsubscribe-Post`, RFC 2919 `List-Id`) and RFC 3834
 * `Auto-Submitted` (message notifications and answers to replies by e-mail, so that auto-responders
 * never answer them). Nothing else: the
 * other headers (From, To, Subject…) are the outbox's own.
 */
export const MAIL_HEADER_NAMES = [
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'List-Id',
  'Auto-Submitted',
] as const;
export type MailHeaderName = (typeof MAIL_HEADER_NAMES)[number];
export type MailHeaders = Partial<Record<MailHeaderName, string>>;

/** Longest value accepted (a header line stays under the 998 characters of RFC 5322). */
export const MAX_HEADER_VALUE = 900;

/**
 * Checks extra headers: a name of the allow-list (any case, written as listed), a value of
 * printable ASCII without CR/LF (no header injection) of at most `MAX_HEADER_VALUE` characters.
 * Throws on the first fault; returns null when there is none to send.
 */
export function checkMailHeaders(headers: unknown): MailHeaders | null {
  if (headers === undefined || headers === null) return null;
  if (typeof headers !== 'object' || Array.isArray(headers)) throw new Error('en-têtes invalides');
  const out: MailHeaders = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = MAIL_HEADER_NAMES.find((n) => n.toLowerCase() === rawName.toLowerCase());
    if (!name)
      throw new Error(`en-tête non autorisé : ${rawName.replace(/[^\x20-\x7e]/g, '?').slice(0, 60)}`);
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new Error(`en-tête ${name} : valeur invalide`);
    if (/[\r\n]/.test(value)) throw new Error(`en-tête ${name} : retour à la ligne interdit`);
    if (!/^[\x20-\x7e]+$/.test(value) || !value.trim())
      throw new Error(`en-tête ${name} : caractères ASCII imprimables seulement`);
    if (value.length > MAX_HEADER_VALUE) throw new Error(`en-tête ${name} : valeur trop longue`);
    if (out[name] !== undefined) throw new Error(`en-tête ${name} en double`);
    out[name] = value.trim();
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** The valid headers of a stored row (a damaged value is left out rather than blocking the e-mail). */
function storedHeaders(value: unknown): MailHeaders | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: MailHeaders = {};
  for (const [name, v] of Object.entries(value)) {
    try {
      Object.assign(out, checkMailHeaders({ [name]: v }));
    } catch {
      // left out
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

function checkAddress(address: string): string {
  const a = address.trim();
  if (!a || a.length > 254 || /[\r\n,;<>]/.test(a)) throw new Error(`adresse invalide : ${a}`);
  return a;
}

/** Queues an e-mail; returns false when one with the same `dedupeKey` was already queued. */
export async function queueEmail(tx: Queryable, mail: QueuedEmail): Promise<boolean> {
  const to = mail.to.trim();
  if (!to || to.length > 254 || /[\r\n]/.test(to)) throw new Error(`adresse de destination invalide : ${to}`);
  const headers = checkMailHeaders(mail.headers);
  const { rows } = await tx.query<{ id: string }>(
    `insert into email_outbox (to_address, subject, body_text, dedupe_key, cc_addresses, reply_to, attachments, headers)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb) on conflict (dedupe_key) do nothing returning id::text`,
    [
      to,
      mail.subject.replace(/[\r\n]+/g, ' ').slice(0, 300),
      mail.text,
      mail.dedupeKey ?? null,
      mail.cc?.length ? mail.cc.map(checkAddress) : null,
      mail.replyTo ? checkAddress(mail.replyTo) : null,
      mail.attachments?.length
        ? JSON.stringify(
            mail.attachments.map((a) => ({
              filename: a.filename.replace(/[\r\n"\\/]+/g, '_').slice(0, 200),
              contentType: a.contentType,
              base64: Buffer.from(a.content).toString('base64'),
            })),
          )
        : null,
      headers ? JSON.stringify(headers) : null,
    ],
  );
  return rows.length > 0;
}

/** One e-mail handed to a transport. */
export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
  cc?: string[];
  replyTo?: string;
  attachments?: MailAttachment[];
  /** Extra headers of the allow-list (`MAIL_HEADER_NAMES`), already checked. */
  headers?: MailHeaders;
}

/** The optional parts of an outbox row, as a transport receives them. */
function extrasOf(row: {
  cc_addresses?: string[] | null;
  reply_to?: string | null;
  attachments?: { filename: string; contentType: string; base64: string }[] | null;
  headers?: unknown;
}): Pick<OutgoingEmail, 'cc' | 'replyTo' | 'attachments' | 'headers'> {
  const headers = storedHeaders(row.headers);
  return {
    ...(headers ? { headers } : {}),
    ...(row.cc_addresses?.length ? { cc: row.cc_addresses } : {}),
    ...(row.reply_to ? { replyTo: row.reply_to } : {}),
    ...(row.attachments?.length
      ? {
          attachments: row.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: Buffer.from(a.base64, 'base64'),
          })),
        }
      : {}),
  };
}

/** How e-mails leave the server. `send` throws when the e-mail could not be delivered. */
export interface MailTransport {
  readonly description: string;
  send(mail: OutgoingEmail): Promise<void>;
}

export const MAIL_FROM = 'Emploi Territoires <ne-pas-repondre@emploi-territoires.test>';

/** RFC 2047 encoded-word for a header holding non-ASCII text. */
function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** The e-mail as an RFC 5322 message (UTF-8 text body), as the file transport stores it. */
export function toEml(mail: OutgoingEmail, from = MAIL_FROM): string {
  const body = mail.text.replace(/\r?\n/g, '\r\n');
  const headers = [
    `From: ${from}`,
    `To: ${mail.to}`,
    ...(mail.cc?.length ? [`Cc: ${mail.cc.join(', ')}`] : []),
    ...(mail.replyTo ? [`Reply-To: ${mail.replyTo}`] : []),
    `Subject: ${encodeHeader(mail.subject)}`,
    `Date: ${mail.createdAt.toUTCString()}`,
    `Message-ID: <outbox-${mail.id}@emploi-territoires.test>`,
    ...Object.entries(checkMailHeaders(mail.headers) ?? {}).map(([name, value]) => `${name}: ${value}`),
    'MIME-Version: 1.0',
  ];
  if (!mail.attachments?.length)
    return [
      ...headers,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
      '',
    ].join('\r\n');
  const boundary = `=_outbox_${mail.id}_${mail.createdAt.getTime()}`;
  const parts = mail.attachments.map((a) =>
    [
      `--${boundary}`,
      `Content-Type: ${a.contentType}; name="${a.filename}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${a.filename}"`,
      '',
      (
        Buffer.from(a.content)
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\r\n'),
    ].join('\r\n'),
  );
  return [
    ...headers,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    ...parts,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/**
 * Development transport: each e-mail becomes a `.eml` file in `dir` (open it with any mail
 * client). The SMTP transport is in smtp.ts.
 */
export function fileTransport(dir: string): MailTransport {
  return {
    description: `fichiers .eml dans ${dir}`,
    async send(mail) {
      mkdirSync(dir, { recursive: true });
      const stamp = mail.createdAt.toISOString().replace(/[:.]/g, '-');
      writeFileSync(join(dir, `${stamp}-${mail.id}.eml`), toEml(mail), 'utf8');
    },
  };
}

/** Transport that only logs one line per e-mail. */
export function logTransport(log: (line: string) => void = console.log): MailTransport {
  return {
    description: 'journal du serveur',
    async send(mail) {
      log(`e-mail à ${mail.to} : ${mail.subject}`);
    },
  };
}

/**
 * The default transport: `.eml` files in `MAIL_DIR`, by default the `mail` folder beside the
 * PGlite data directory (`DATA_DIR/../mail`, so `.data/mail` with the default settings).
 */
export function defaultMailTransport(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): MailTransport {
  const dir = env.MAIL_DIR
    ? resolve(cwd, env.MAIL_DIR)
    : resolve(cwd, env.DATA_DIR ?? '.data/pglite', '..', 'mail');
  return fileTransport(dir);
}

export interface OutboxSender {
  /** Sends every due e-mail now; resolves to the number sent. */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

export interface OutboxSenderOptions {
  /** Polling interval; 0 sends only on `flush()` (tests). */
  intervalMs: number;
  batchSize?: number;
  /** After this many failed attempts an e-mail is left aside (its last error stays in the row). */
  maxAttempts?: number;
  /** How long a claimed row is reserved for the instance sending it. */
  claimSeconds?: number;
  log?: (message: string) => void;
}

/** Delay before the next attempt after `attempts` failures: 1 min, 2, 4… capped at 6 h. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(60 * 2 ** Math.max(0, attempts - 1), 6 * 3600);
}

/**
 * Delivers queued e-mails. Rows are claimed in a short transaction (`for update skip locked`,
 * then `locked_until`), sent outside any transaction, then marked sent or rescheduled, so a slow
 * transport never holds the database and two instances never send the same row at once.
 */
export function startOutboxSender(
  db: Database,
  transport: MailTransport,
  options: OutboxSenderOptions,
): OutboxSender {
  const batchSize = options.batchSize ?? 20;
  const maxAttempts = options.maxAttempts ?? 8;
  const claimSeconds = options.claimSeconds ?? 300;
  let stopped = false;
  let running: Promise<number> | null = null;

  const sendBatch = async (): Promise<number> => {
    const claimed = await db.transaction((tx) =>
      tx.query<{
        id: string;
        to_address: string;
        subject: string;
        body_text: string;
        created_at: Date;
        cc_addresses: string[] | null;
        reply_to: string | null;
        attachments: { filename: string; contentType: string; base64: string }[] | null;
        headers: unknown;
      }>(
        `update email_outbox set locked_until = now() + make_interval(secs => $3), attempts = attempts + 1
          where id in (
            select id from email_outbox
             where sent_at is null and attempts < $2 and next_attempt_at <= now()
               and (locked_until is null or locked_until < now())
             order by next_attempt_at, id limit $1 for update skip locked)
          returning id::text, to_address, subject, body_text, created_at, cc_addresses, reply_to, attachments, headers`,
        [batchSize, maxAttempts, claimSeconds],
      ),
    );
    let sent = 0;
    for (const row of claimed.rows.sort((a, b) => Number(a.id) - Number(b.id))) {
      try {
        await transport.send({
          id: row.id,
          to: row.to_address,
          subject: row.subject,
          text: row.body_text,
          createdAt: new Date(row.created_at),
          ...extrasOf(row),
        });
        await db.query(
          // The attachments (a CV…) are personal data: not kept once delivered.
          'update email_outbox set sent_at = now(), locked_until = null, last_error = null, attachments = null where id = $1',
          [row.id],
        );
        sent++;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await db.query(
          `update email_outbox set locked_until = null, last_error = $2,
                  next_attempt_at = now() + make_interval(secs => $3)
            where id = $1`,
          [row.id, message.slice(0, 1000), retryDelaySeconds(await attemptsOf(db, row.id))],
        );
        options.log?.(`e-mail ${row.id} non envoyé (${transport.description}) : ${message}`);
      }
    }
    return claimed.rows.length === batchSize ? sent + (stopped ? 0 : await sendBatch()) : sent;
  };

  const flush = async (): Promise<number> => {
    if (running) await running.catch(() => 0);
    running = sendBatch();
    try {
      return await running;
    } finally {
      running = null;
    }
  };

  const timer =
    options.intervalMs > 0
      ? setInterval(() => {
          if (running || stopped) return;
          flush().catch((error: unknown) =>
            options.log?.(`envoi des e-mails impossible : ${error instanceof Error ? error.message : error}`),
          );
        }, options.intervalMs)
      : null;
  timer?.unref?.();

  return {
    flush,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (running) await running.catch(() => 0);
    },
  };
}

async function attemptsOf(db: Queryable, id: string): Promise<number> {
  const { rows } = await db.query<{ attempts: number }>('select attempts from email_outbox where id = $1', [
    id,
  ]);
  return Number(rows[0]?.attempts ?? 1);
}
