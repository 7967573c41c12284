/**
 * The reply address of a conversation (issue 7, reply by e-mail): the notification e-mails a
 * candidate receives carry it as `Reply-To`, and the server's SMTP receiver (email/inbound.ts)
 * accepts only addresses that verify.
 *
 *   r-<conversation id, 32 hex digits without dashes>-<signature>@<reply domain>
 *
 * The signature is an HMAC-SHA256, with a server secret, over the conversation id and the
 * candidate's account id, truncated to 26 base32 characters (130 bits), lower case: mail systems
 * may lower-case a local part, so the address is case-insensitive (61 characters, under the 64 of
 * RFC 5321). Whoever does not hold the secret cannot make the address of another conversation,
 * nor point a conversation's address at another account: a forged or altered address is refused.
 *
 * The secret: `MESSAGING_SECRET` when set (several installations sharing addresses, or a rotation
 * decided by the operator), else one generated once and kept in `server_secrets` (every instance
 * of the same database signs alike). The reply domain: `MAIL_REPLY_DOMAIN`, else the domain of
 * `MAIL_FROM` (config.ts); its MX must point to the SMTP receiver.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/database';
import { MAIL_FROM } from '../email/outbox';

/** Base32 characters of the signature: 26 × 5 = 130 bits (the brief asks for at least 80). */
export const REPLY_SIGNATURE_LENGTH = 26;
/** Name of the generated secret in `server_secrets`. */
export const REPLY_SECRET_NAME = 'messaging-reply-address';
/** Shortest `MESSAGING_SECRET` accepted (config.ts checks it). */
export const MIN_MESSAGING_SECRET_LENGTH = 32;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LOCAL_PART = new RegExp(`^r-([0-9a-f]{32})-([a-z2-7]{${REPLY_SIGNATURE_LENGTH}})$`);

/** RFC 4648 base32, lower case, without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function canonicalId(id: string, what: string): string {
  const lower = id.trim().toLowerCase();
  if (!UUID.test(lower)) throw new Error(`adresse de réponse : ${what} invalide (${id.slice(0, 40)})`);
  return lower;
}

/** The signature of (conversation, account) with this secret. */
export function replySignature(secret: string, conversationId: string, accountId: string): string {
  const mac = createHmac('sha256', secret)
    .update(
      `reply-address:v1:${canonicalId(conversationId, 'conversation')}:${canonicalId(accountId, 'compte')}`,
    )
    .digest();
  return base32(mac).slice(0, REPLY_SIGNATURE_LENGTH);
}

/** `r-<hex>-<signature>` (61 characters). */
export function replyLocalPart(secret: string, conversationId: string, accountId: string): string {
  const hex = canonicalId(conversationId, 'conversation').replace(/-/g, '');
  return `r-${hex}-${replySignature(secret, conversationId, accountId)}`;
}

export function replyAddressWith(
  secret: string,
  domain: string,
  conversationId: string,
  accountId: string,
): string {
  return `${replyLocalPart(secret, conversationId, accountId)}@${domain.toLowerCase()}`;
}

/**
 * Reads an address as a reply address of this domain (any case, with or without `<…>`): the
 * conversation it names and the signature it carries, or null when it is none.
 */
export function parseReplyAddress(
  address: string,
  domain: string,
): { conversationId: string; signature: string } | null {
  const a = address
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .toLowerCase();
  const at = a.lastIndexOf('@');
  if (at <= 0 || a.slice(at + 1) !== domain.toLowerCase()) return null;
  const m = LOCAL_PART.exec(a.slice(0, at));
  if (!m?.[1] || !m[2]) return null;
  const h = m[1];
  const conversationId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return { conversationId, signature: m[2] };
}

/** Whether `signature` signs (conversation, account) with this secret, compared in constant time. */
export function verifyReplySignature(
  secret: string,
  conversationId: string,
  accountId: string,
  signature: string,
): boolean {
  let expected: string;
  try {
    expected = replySignature(secret, conversationId, accountId);
  } catch {
    return false;
  }
  const given = Buffer.from(signature.toLowerCase());
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

// ---------------------------------------------------------------------------------------------
// Settings (server.ts sets them from the configuration; the environment otherwise)

let configured: { domain?: string; secret?: string } = {};

/** Sets the reply domain and the secret (`MAIL_REPLY_DOMAIN`, `MESSAGING_SECRET`); `{}` restores the defaults. */
export function configureReplyAddresses(settings: { domain?: string; secret?: string }): void {
  configured = { ...settings };
}

/** The domain of an address or of `Nom <adresse>`, lower case ('' when there is none). */
export function domainOf(address: string): string {
  const inner = /<([^<>]*)>\s*$/.exec(address)?.[1] ?? address;
  const at = inner.lastIndexOf('@');
  return at >= 0
    ? inner
        .slice(at + 1)
        .trim()
        .toLowerCase()
    : '';
}

/** The bare address of `Nom <adresse>`, lower case. */
export function bareAddress(address: string): string {
  return (/<([^<>]*)>\s*$/.exec(address)?.[1] ?? address).trim().toLowerCase();
}

export function replyDomain(env: NodeJS.ProcessEnv = process.env): string {
  return (
    configured.domain?.trim().toLowerCase() ||
    env.MAIL_REPLY_DOMAIN?.trim().toLowerCase() ||
    domainOf(env.MAIL_FROM?.trim() || MAIL_FROM)
  );
}

/**
 * The signing secret: the configured one, `MESSAGING_SECRET`, or the one generated once in
 * `server_secrets` (created here on first use; two instances creating it at once keep one).
 */
export async function messagingSecret(q: Queryable, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const given = configured.secret ?? env.MESSAGING_SECRET?.trim();
  if (given) return given;
  const read = async () =>
    (
      await q.query<{ value: string }>('select value from server_secrets where name = $1', [
        REPLY_SECRET_NAME,
      ])
    ).rows[0]?.value;
  const existing = await read();
  if (existing) return existing;
  const inserted = await q.query<{ value: string }>(
    'insert into server_secrets (name, value) values ($1, $2) on conflict (name) do nothing returning value',
    [REPLY_SECRET_NAME, randomBytes(32).toString('base64url')],
  );
  const value = inserted.rows[0]?.value ?? (await read());
  if (!value) throw new Error('secret des adresses de réponse introuvable');
  return value;
}

/** The reply address of a conversation for its candidate. */
export async function replyAddress(q: Queryable, conversationId: string, accountId: string): Promise<string> {
  return replyAddressWith(await messagingSecret(q), replyDomain(), conversationId, accountId);
}

/**
 * Checks an address a message was sent to: a reply address of our domain whose signature matches
 * the conversation and its candidate (`candidateOf` finds the candidate's account of a
 * conversation, null when it does not exist). Null when it is not one of ours, forged or altered.
 */
export async function verifyReplyAddress(
  q: Queryable,
  address: string,
  candidateOf: (conversationId: string) => Promise<string | null>,
): Promise<{ conversationId: string; accountId: string } | null> {
  const parsed = parseReplyAddress(address, replyDomain());
  if (!parsed) return null;
  const accountId = await candidateOf(parsed.conversationId);
  const secret = await messagingSecret(q);
  // Checked even for an unknown conversation: the answer takes the same time either way.
  const valid = verifyReplySignature(
    secret,
    parsed.conversationId,
    accountId ?? NO_ACCOUNT,
    parsed.signature,
  );
  return valid && accountId ? { conversationId: parsed.conversationId, accountId } : null;
}
