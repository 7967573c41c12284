import { describe, expect, it } from 'vitest';
import { crc32, MEGABYTE } from '../../../../shared/domain/files';
import { prepareFile } from './prepare-file';
import { sha256Hex } from './sha256';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** A structurally valid 1×1 PNG, padded with a comment chunk of `padding` bytes. */
function png(padding = 0): Uint8Array<ArrayBuffer> {
  const ihdr = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(padding > 0 ? [chunk('tEXt', new Uint8Array(padding).fill(0x20))] : []),
    chunk('IDAT', new Uint8Array([0x78, 0x9c, 0x63, 0x60, 0x60, 0x60, 0, 0, 0, 4, 0, 1])),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('prepareFile (the workstation checks what the server checks)', () => {
  it('names a PNG by its SHA-256 and keeps it with the type found in its content, not its name', async () => {
    const bytes = png();
    const file = new File([bytes], 'logo.jpg', { type: 'image/jpeg' });
    const prepared = await prepareFile('logo', file);
    expect(prepared).toMatchObject({ ok: true, type: 'png', mime: 'image/png', size: bytes.length });
    if (!prepared.ok) throw new Error('refusé');
    expect(prepared.sha256).toBe(await sha256Hex(bytes));
    expect(prepared.blob.type).toBe('image/png');
  });

  it('refuses HTML or SVG named logo.png with the French message', async () => {
    const file = new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'logo.png', { type: 'image/png' });
    expect(await prepareFile('logo', file)).toEqual({
      ok: false,
      message:
        'Format refusé : seules les images JPG ou PNG sont acceptées (le contenu du fichier a été vérifié, pas son nom).',
    });
  });

  it('refuses a banner over 1 Mo without reading it', async () => {
    let read = false;
    const big = {
      size: MEGABYTE + 1,
      arrayBuffer: async () => {
        read = true;
        return new ArrayBuffer(0);
      },
    } as unknown as Blob;
    expect(await prepareFile('banner', big)).toEqual({ ok: false, message: 'Le fichier dépasse 1 Mo.' });
    expect(read).toBe(false);
    const exact = png(MEGABYTE - png().length - 12);
    expect(exact.length).toBe(MEGABYTE);
    expect((await prepareFile('banner', new Blob([exact]))).ok).toBe(true);
  });

  it('refuses a truncated image', async () => {
    const cut = png().subarray(0, 40);
    const result = await prepareFile('photo', new Blob([cut]));
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('incomplet ou endommagé') });
  });
});
