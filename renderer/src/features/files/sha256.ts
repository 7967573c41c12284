/**
 * SHA-256 of a file's bytes in lowercase hexadecimal: the name under which the server and the local
 * file store keep it (DESIGN §4, "Files").
 *
 * WebCrypto does the work. It exists only in secure contexts (HTTPS, localhost, the desktop app);
 * a web workstation opened over plain HTTP on a local network has no `crypto.subtle`, so a small
 * implementation of the same function takes over there.
 */

import { sha256HexSync } from '../../../../shared/domain/sha256';

export type HashInput = Blob | ArrayBuffer | Uint8Array;

async function toBytes(input: HashInput): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  return new Uint8Array(await input.arrayBuffer());
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export { sha256HexSync };

export async function sha256Hex(input: HashInput): Promise<string> {
  const bytes = await toBytes(input);
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
    return hex(new Uint8Array(digest));
  }
  return sha256HexSync(bytes);
}
