import { randomBytes } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, MEGABYTE } from '../../../shared/domain/files';
import {
  checkFileContent,
  checkFileSize,
  detectFileType,
  FILE_PURPOSES,
  isFilePurpose,
  isSha256,
  MAX_FILE_BYTES,
  sha256Hex,
} from './file-types';
import { makePdf, makePng, sampleJpeg } from './sample-files';

const IMAGE_REFUSED =
  'Format refusé : seules les images JPG ou PNG sont acceptées (le contenu du fichier a été vérifié, pas son nom).';

const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** Reads a File the way the workstation does: only its bytes count, never its name or type. */
async function bytesOf(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

describe('detectFileType', () => {
  it('recognises a real JPEG, PNG and PDF', () => {
    expect(detectFileType(sampleJpeg())).toEqual({ ok: true, type: 'jpg' });
    expect(detectFileType(makePng())).toEqual({ ok: true, type: 'png' });
    expect(detectFileType(makePng({ width: 300, height: 120 }))).toEqual({ ok: true, type: 'png' });
    expect(detectFileType(makePdf())).toEqual({ ok: true, type: 'pdf' });
  });

  it('judges by content: a PNG named logo.jpg is a PNG, a JPEG named logo.png is a JPEG', async () => {
    const png = new File([makePng()], 'logo.jpg', { type: 'image/jpeg' });
    const jpeg = new File([sampleJpeg()], 'logo.png', { type: 'image/png' });
    expect(detectFileType(await bytesOf(png))).toEqual({ ok: true, type: 'png' });
    expect(detectFileType(await bytesOf(jpeg))).toEqual({ ok: true, type: 'jpg' });
  });

  it('refuses HTML, SVG and text, whatever their name', async () => {
    const html = new File(['<!doctype html><script>alert(1)</script>'], 'logo.png', { type: 'image/png' });
    const svg = new File(
      ['<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'],
      'logo.png',
      { type: 'image/png' },
    );
    const bareSvg = new File(['<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'], 'banniere.jpg');
    for (const file of [html, svg, bareSvg]) {
      expect(detectFileType(await bytesOf(file))).toEqual({ ok: false, reason: 'unknown' });
      expect(checkFileContent('logo', await bytesOf(file))).toMatchObject({
        ok: false,
        status: 415,
        message: IMAGE_REFUSED,
      });
    }
    expect(detectFileType(text('GIF89a'))).toEqual({ ok: false, reason: 'unknown' });
    expect(detectFileType(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty' });
  });

  it('refuses truncated PNGs: signature only, cut in IDAT, missing IEND', () => {
    const png = makePng({ width: 32, height: 32 });
    expect(detectFileType(png.subarray(0, 8))).toEqual({ ok: false, reason: 'damaged', claimed: 'png' });
    expect(detectFileType(png.subarray(0, 40))).toMatchObject({ ok: false, reason: 'damaged' });
    expect(detectFileType(png.subarray(0, png.length - 12))).toMatchObject({ ok: false, reason: 'damaged' });
    expect(detectFileType(png.subarray(0, png.length - 1))).toMatchObject({ ok: false, reason: 'damaged' });
  });

  it('requires a valid IHDR chunk', () => {
    const corrupt = (at: number, value: number) => {
      const copy = Buffer.from(makePng());
      copy[at] = value;
      return detectFileType(copy);
    };
    expect(corrupt(29, 0x00)).toMatchObject({ reason: 'damaged' }); // CRC changed
    expect(corrupt(12, 0x58)).toMatchObject({ reason: 'damaged' }); // "XHDR"
    expect(corrupt(11, 14)).toMatchObject({ reason: 'damaged' }); // length 14
    // Zero width, impossible bit depth for truecolour: rebuilt with a matching CRC, still refused.
    const withHeader = (patch: (ihdr: Buffer) => void) => {
      const copy = Buffer.from(makePng());
      patch(copy.subarray(16, 29));
      copy.writeUInt32BE(crc32(copy, 12, 29), 29);
      return detectFileType(copy);
    };
    expect(withHeader(() => undefined)).toEqual({ ok: true, type: 'png' });
    expect(withHeader((h) => h.writeUInt32BE(0, 0))).toMatchObject({ reason: 'damaged' });
    expect(withHeader((h) => h.writeUInt8(4, 8))).toMatchObject({ reason: 'damaged' });
    expect(withHeader((h) => h.writeUInt8(5, 9))).toMatchObject({ reason: 'damaged' });
  });

  it('refuses truncated or malformed JPEGs', () => {
    const jpeg = sampleJpeg();
    expect(detectFileType(jpeg.subarray(0, 3))).toEqual({ ok: false, reason: 'damaged', claimed: 'jpg' });
    expect(detectFileType(jpeg.subarray(0, jpeg.length - 2))).toMatchObject({ reason: 'damaged' });
    expect(detectFileType(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).toMatchObject({
      reason: 'damaged',
    });
    // Magic bytes glued to an HTML page.
    const glued = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('<html><script>x</script>')]);
    expect(detectFileType(glued)).toMatchObject({ reason: 'damaged' });
    // Trailing bytes after the end-of-image marker are tolerated (some cameras add them).
    expect(detectFileType(Buffer.concat([jpeg, Buffer.alloc(16)]))).toEqual({ ok: true, type: 'jpg' });
  });

  it('refuses truncated PDFs', () => {
    const pdf = makePdf();
    expect(detectFileType(pdf.subarray(0, pdf.length - 8))).toEqual({
      ok: false,
      reason: 'damaged',
      claimed: 'pdf',
    });
    expect(detectFileType(text('%PDF-'))).toMatchObject({ reason: 'damaged' });
  });

  it('CRC-32 agrees with zlib', () => {
    const data = randomBytes(4096);
    expect(crc32(data)).toBe(zlibCrc32(data));
    expect(crc32(data, 100, 200)).toBe(zlibCrc32(data.subarray(100, 200)));
  });
});

describe('per-use rules', () => {
  it('logo and banner: jpg or png, at most 1 Mo (seed 001)', () => {
    for (const purpose of ['logo', 'banner'] as const) {
      expect(FILE_PURPOSES[purpose].types).toEqual(['jpg', 'png']);
      expect(FILE_PURPOSES[purpose].maxBytes).toBe(MEGABYTE);
      expect(checkFileContent(purpose, makePng())).toMatchObject({
        ok: true,
        type: 'png',
        mime: 'image/png',
      });
      expect(checkFileContent(purpose, sampleJpeg())).toMatchObject({ ok: true, mime: 'image/jpeg' });
      expect(checkFileContent(purpose, makePdf())).toEqual({
        ok: false,
        status: 415,
        reason: 'refused-type',
        message: IMAGE_REFUSED,
      });
    }
  });

  it('accepts exactly 1 Mo and refuses one byte more, with the French message', () => {
    const exact = makePng({ totalBytes: MEGABYTE });
    expect(exact.length).toBe(MEGABYTE);
    expect(checkFileContent('logo', exact)).toMatchObject({ ok: true, size: MEGABYTE });
    const over = makePng({ totalBytes: MEGABYTE + 1 });
    expect(detectFileType(over)).toEqual({ ok: true, type: 'png' });
    expect(checkFileContent('logo', over)).toEqual({
      ok: false,
      status: 413,
      reason: 'too-large',
      message: 'Le fichier dépasse 1 Mo.',
    });
    expect(checkFileContent('photo', over)).toMatchObject({ ok: true });
    expect(checkFileSize('photo', 2 * MEGABYTE + 1)).toMatchObject({ message: 'Le fichier dépasse 2 Mo.' });
    expect(checkFileSize('cv', 5 * MEGABYTE + 1)).toMatchObject({ message: 'Le fichier dépasse 5 Mo.' });
    expect(checkFileSize('capture', 8 * MEGABYTE + 1)).toMatchObject({ message: 'Le fichier dépasse 8 Mo.' });
    // A CV photographed at a fair (issue 6) is the largest file accepted.
    expect(MAX_FILE_BYTES).toBe(8 * MEGABYTE);
  });

  it('cv and letter: PDF only', () => {
    expect(checkFileContent('cv', makePdf())).toMatchObject({
      ok: true,
      type: 'pdf',
      mime: 'application/pdf',
    });
    expect(checkFileContent('letter', makePng())).toMatchObject({
      ok: false,
      status: 415,
      message:
        'Format refusé : seuls les documents PDF sont acceptés (le contenu du fichier a été vérifié, pas son nom).',
    });
  });

  it('a damaged file of an accepted type says so; of another type, the type is refused', () => {
    const cut = makePng().subarray(0, 30);
    expect(checkFileContent('logo', cut)).toMatchObject({
      status: 415,
      reason: 'damaged',
      message: expect.stringContaining('PNG est incomplet ou endommagé'),
    });
    expect(checkFileContent('cv', cut)).toMatchObject({ status: 415, reason: 'refused-type' });
    expect(checkFileContent('logo', new Uint8Array(0))).toMatchObject({ status: 400, reason: 'empty' });
  });

  it('names and hashes', () => {
    expect(isFilePurpose('logo')).toBe(true);
    expect(isFilePurpose('toString')).toBe(false);
    expect(isFilePurpose('avatar')).toBe(false);
    expect(sha256Hex(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(isSha256(sha256Hex(makePng()))).toBe(true);
    expect(isSha256('BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD')).toBe(false);
    expect(isSha256('../etc/passwd')).toBe(false);
  });
});
