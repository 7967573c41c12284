/**
 * The development mailbox: an in-process SMTP server (smtp-server) that keeps every message it
 * receives, so `npm start` sends e-mail for real (through SMTP) without a mail provider, and the
 * messages can be read at `/dev/courriels` (see dev-mailbox-routes.ts). Tests use the same server
 * (sync-server/test/mail.ts).
 *
 * Messages are kept in memory and, when `dir` is given, also written as `.eml` files in it (any
 * mail client opens them); `reload` reads the files of earlier runs back at start.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { MAIL_HEADER_NAMES, type MailHeaders } from './outbox';

export interface ReceivedMail {
  id: string;
  receivedAt: string;
  from: string;
  /** Recipients of the envelope (who the message was delivered to). */
  to: string[];
  /** The « Cc » header. */
  cc: string;
  replyTo: string;
  subject: string;
  text: string;
  /** Every http(s) link of the text, in order. */
  links: string[];
  attachments: { filename: string; contentType: string; size: number }[];
  /** The list headers of the message (`List-Unsubscribe`…, see `MAIL_HEADER_NAMES`), unfolded. */
  headers: MailHeaders;
}

/** The allow-listed headers of a raw header block, unfolded, by their canonical names. */
export function listHeadersOf(lines: readonly { key: string; line: string }[]): MailHeaders {
  const out: MailHeaders = {};
  for (const { key, line } of lines) {
    const name = MAIL_HEADER_NAMES.find((n) => n.toLowerCase() === key.toLowerCase());
    if (!name || out[name] !== undefined) continue;
    out[name] = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  }
  return out;
}

/** The bytes of each attachment, by message id (not in the JSON list). */
const attachmentBytes = new WeakMap<ReceivedMail, Buffer[]>();

/** The bytes of the `index`-th attachment of a received message. */
export function attachmentOf(mail: ReceivedMail, index: number): Buffer | undefined {
  return attachmentBytes.get(mail)?.[index];
}

export interface SmtpCatcher {
  /** smtp://127.0.0.1:<port> */
  smtpUrl: string;
  port: number;
  /** Received messages, oldest first. */
  messages(): ReceivedMail[];
  message(id: string): ReceivedMail | undefined;
  /** Resolves with the first message (already received or to come) that matches. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Forgets every message (not the files). */
  clear(): void;
  close(): Promise<void>;
}

const MAX_KEPT = 1000;
/** Messages of earlier runs read back at start. */
const MAX_LOADED = 200;
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** The http(s) links of a text (trailing punctuation left out). */
export function linksOf(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"«»]+/g)].map((m) => m[0].replace(/[.,;:!?)\]]+$/, ''));
}

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

async function parse(raw: Buffer, id: string, receivedAt: string, envelopeTo: string[]) {
  const parsed = await (await import('mailparser')).simpleParser(raw);
  const text = (parsed.text ?? '').replace(/\r\n/g, '\n').replace(/\n$/, '');
  const to = envelopeTo.length > 0 ? envelopeTo : addresses(parsed.to).split(/,\s*/).filter(Boolean);
  const mail: ReceivedMail = {
    id,
    receivedAt,
    from: addresses(parsed.from),
    to,
    cc: addresses(parsed.cc),
    replyTo: addresses(parsed.replyTo),
    subject: parsed.subject ?? '',
    text,
    links: linksOf(text),
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? 'piece-jointe',
      contentType: a.contentType,
      size: a.size,
    })),
    headers: listHeadersOf(parsed.headerLines ?? []),
  };
  attachmentBytes.set(
    mail,
    parsed.attachments.map((a) => a.content),
  );
  return mail;
}

export async function startSmtpCatcher(
  options: { dir?: string; reload?: boolean; port?: number } = {},
): Promise<SmtpCatcher> {
  const kept: ReceivedMail[] = [];
  const waiters = new Set<{ predicate: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }>();
  const keep = (mail: ReceivedMail) => {
    kept.push(mail);
    if (kept.length > MAX_KEPT) kept.splice(0, kept.length - MAX_KEPT);
    for (const w of [...waiters]) {
      if (w.predicate(mail)) {
        waiters.delete(w);
        w.resolve(mail);
      }
    }
  };

  if (options.dir) mkdirSync(options.dir, { recursive: true });
  if (options.dir && options.reload) {
    const files = readdirSync(options.dir)
      .filter((f) => /^\d{4}-[\d-]+T[\d-]+Z_[0-9a-f-]{36}\.eml$/.test(f))
      .sort()
      .slice(-MAX_LOADED);
    for (const file of files) {
      try {
        const raw = readFileSync(join(options.dir, file));
        const [stamp = '', id = randomUUID()] = file.replace(/\.eml$/, '').split('_');
        const receivedAt = stamp.replace(
          /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/,
          '$1:$2:$3.$4Z',
        );
        kept.push(await parse(raw, id, receivedAt, []));
      } catch {
        // a damaged file is skipped
      }
    }
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: MAX_MESSAGE_BYTES,
    banner: 'Boîte aux lettres de développement',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const id = randomUUID();
        const receivedAt = new Date().toISOString();
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        parse(raw, id, receivedAt, envelopeTo).then(
          (mail) => {
            if (options.dir) {
              try {
                writeFileSync(join(options.dir, `${receivedAt.replace(/[:.]/g, '-')}_${id}.eml`), raw);
              } catch {
                // the message stays in memory
              }
            }
            keep(mail);
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    port,
    messages: () => [...kept],
    message: (id) => kept.find((m) => m.id === id),
    waitFor(predicate, timeoutMs = 10_000) {
      const found = kept.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (m: ReceivedMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`aucun e-mail attendu reçu en ${timeoutMs} ms (reçus : ${kept.length})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    clear() {
      kept.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
