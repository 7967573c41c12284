import { afterEach, describe, expect, it } from 'vitest';
import {
  base32,
  configureReplyAddresses,
  domainOf,
  parseReplyAddress,
  REPLY_SIGNATURE_LENGTH,
  replyAddressWith,
  replyDomain,
  replyLocalPart,
  replySignature,
  verifyReplySignature,
} from './reply-address';

const SECRET = 'un-secret-de-test-assez-long-pour-signer-0123456789';
const CONVERSATION = '3f2c8a10-5b7e-4c1d-9a2b-0e4f6a8b1c2d';
const OTHER_CONVERSATION = '3f2c8a10-5b7e-4c1d-9a2b-0e4f6a8b1c2e';
const ACCOUNT = '0a0c0000-0000-4000-8000-000000000006';
const OTHER_ACCOUNT = '0a0c0000-0000-4000-8000-000000000007';
const DOMAIN = 'emploi-territoires.test';

afterEach(() => configureReplyAddresses({}));

describe('reply addresses', () => {
  it('encodes base32 in lower case (RFC 4648 vectors)', () => {
    expect(base32(Buffer.from(''))).toBe('');
    expect(base32(Buffer.from('f'))).toBe('my');
    expect(base32(Buffer.from('fo'))).toBe('mzxq');
    expect(base32(Buffer.from('foobar'))).toBe('mzxw6ytboi');
  });

  it('signs r-<hex>-<signature>@domain, within 64 characters of local part, at least 80 bits', () => {
    const address = replyAddressWith(SECRET, DOMAIN, CONVERSATION, ACCOUNT);
    const [local, domain] = address.split('@');
    expect(domain).toBe(DOMAIN);
    expect(local).toMatch(/^r-3f2c8a105b7e4c1d9a2b0e4f6a8b1c2d-[a-z2-7]+$/);
    expect(local!.length).toBeLessThanOrEqual(64);
    expect(REPLY_SIGNATURE_LENGTH * 5).toBeGreaterThanOrEqual(80);
    expect(local!.split('-')[2]).toHaveLength(REPLY_SIGNATURE_LENGTH);
    // Deterministic: the same conversation and account give the same address.
    expect(replyAddressWith(SECRET, DOMAIN, CONVERSATION, ACCOUNT)).toBe(address);
  });

  it('verifies its own address, in any case and with angle brackets', () => {
    const address = replyAddressWith(SECRET, DOMAIN, CONVERSATION, ACCOUNT);
    for (const written of [address, address.toUpperCase(), `<${address}>`, ` ${address} `]) {
      const parsed = parseReplyAddress(written, DOMAIN);
      expect(parsed).toEqual({ conversationId: CONVERSATION, signature: expect.any(String) });
      expect(verifyReplySignature(SECRET, parsed!.conversationId, ACCOUNT, parsed!.signature)).toBe(true);
    }
    // Upper-case ids are the same ids.
    expect(replyLocalPart(SECRET, CONVERSATION.toUpperCase(), ACCOUNT.toUpperCase())).toBe(
      replyLocalPart(SECRET, CONVERSATION, ACCOUNT),
    );
  });

  it('refuses a forged or altered address', () => {
    const address = replyAddressWith(SECRET, DOMAIN, CONVERSATION, ACCOUNT);
    const parsed = parseReplyAddress(address, DOMAIN)!;
    // Another account, another conversation, another secret.
    expect(verifyReplySignature(SECRET, CONVERSATION, OTHER_ACCOUNT, parsed.signature)).toBe(false);
    expect(verifyReplySignature(SECRET, OTHER_CONVERSATION, ACCOUNT, parsed.signature)).toBe(false);
    expect(verifyReplySignature(`${SECRET}x`, CONVERSATION, ACCOUNT, parsed.signature)).toBe(false);
    // One character of the signature changed.
    const sig = parsed.signature;
    const altered = `${sig.slice(0, -1)}${sig.endsWith('a') ? 'b' : 'a'}`;
    expect(verifyReplySignature(SECRET, CONVERSATION, ACCOUNT, altered)).toBe(false);
    // The signature of a conversation moved onto another conversation's id.
    const moved = address.replace('3f2c8a105b7e4c1d9a2b0e4f6a8b1c2d', '3f2c8a105b7e4c1d9a2b0e4f6a8b1c2e');
    const movedParsed = parseReplyAddress(moved, DOMAIN)!;
    expect(movedParsed.conversationId).toBe(OTHER_CONVERSATION);
    expect(verifyReplySignature(SECRET, movedParsed.conversationId, ACCOUNT, movedParsed.signature)).toBe(
      false,
    );
    // Truncated, lengthened, empty signatures; not ids at all.
    expect(verifyReplySignature(SECRET, CONVERSATION, ACCOUNT, sig.slice(0, -1))).toBe(false);
    expect(verifyReplySignature(SECRET, CONVERSATION, ACCOUNT, `${sig}a`)).toBe(false);
    expect(verifyReplySignature(SECRET, CONVERSATION, ACCOUNT, '')).toBe(false);
    expect(verifyReplySignature(SECRET, 'pas-un-uuid', ACCOUNT, sig)).toBe(false);
  });

  it('reads only reply addresses of its domain', () => {
    const address = replyAddressWith(SECRET, DOMAIN, CONVERSATION, ACCOUNT);
    expect(parseReplyAddress(address.replace(DOMAIN, 'ailleurs.test'), DOMAIN)).toBeNull();
    expect(parseReplyAddress(address.replace('@', '@sous.'), DOMAIN)).toBeNull();
    expect(parseReplyAddress(`x${address}`, DOMAIN)).toBeNull();
    expect(parseReplyAddress(address.replace('r-', 's-'), DOMAIN)).toBeNull();
    expect(parseReplyAddress(`ne-pas-repondre@${DOMAIN}`, DOMAIN)).toBeNull();
    expect(parseReplyAddress('', DOMAIN)).toBeNull();
    expect(
      parseReplyAddress(address.replace(/-[a-z2-7]+@/, '-1111111111111111111111111a@'), DOMAIN),
    ).toBeNull();
  });

  it('refuses to sign what is not an id', () => {
    expect(() => replySignature(SECRET, 'conversation', ACCOUNT)).toThrow(/conversation invalide/);
    expect(() => replySignature(SECRET, CONVERSATION, '')).toThrow(/compte invalide/);
  });

  it('takes the reply domain from the settings, MAIL_REPLY_DOMAIN, then MAIL_FROM', () => {
    expect(domainOf('Emploi Territoires <ne-pas-repondre@Emploi-Territoires.test>')).toBe(DOMAIN);
    expect(domainOf('sans-arobase')).toBe('');
    expect(replyDomain({})).toBe(DOMAIN);
    expect(replyDomain({ MAIL_FROM: 'X <a@exemple.fr>' })).toBe('exemple.fr');
    expect(replyDomain({ MAIL_FROM: 'X <a@exemple.fr>', MAIL_REPLY_DOMAIN: 'reponses.exemple.fr' })).toBe(
      'reponses.exemple.fr',
    );
    configureReplyAddresses({ domain: 'Config.Exemple.fr' });
    expect(replyDomain({ MAIL_REPLY_DOMAIN: 'reponses.exemple.fr' })).toBe('config.exemple.fr');
  });
});
