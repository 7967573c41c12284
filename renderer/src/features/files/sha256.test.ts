import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexSync } from './sha256';

const utf8 = (s: string) => new TextEncoder().encode(s);

async function webCrypto(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 test vectors, from a Blob, an ArrayBuffer or bytes', async () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(await sha256Hex(utf8('abc'))).toBe(abc);
    expect(await sha256Hex(new Blob(['abc']))).toBe(abc);
    expect(await sha256Hex(utf8('abc').buffer)).toBe(abc);
    expect(await sha256Hex(new Uint8Array(0))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('the fallback without WebCrypto agrees with WebCrypto on every padding case', async () => {
    expect(sha256HexSync(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    for (let length = 0; length < 200; length += 1) {
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = (i * 31 + length * 7) & 0xff;
      expect(sha256HexSync(bytes)).toBe(await webCrypto(bytes));
    }
    const large = new Uint8Array(300_000).map((_, i) => (i * 13) & 0xff);
    expect(sha256HexSync(large)).toBe(await webCrypto(large));
  });
});
