import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkFileContent, detectFileType, FILE_PURPOSES, isPlainText, zipEntryNames } from './files';

const docx = () =>
  zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w:document/>') });
const odt = () =>
  zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
    'content.xml': strToU8('<office:document-content/>'),
  });
function ole(stream: string): Uint8Array {
  const bytes = new Uint8Array(2048);
  bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  bytes[28] = 0xfe;
  bytes[29] = 0xff;
  bytes.set(
    [...stream].flatMap((c) => [c.charCodeAt(0), 0]),
    1024,
  );
  return bytes;
}
const text = (s: string) => new TextEncoder().encode(s);
const CV_REFUSED =
  'Format refusé : seuls les documents PDF, DOC, DOCX, ODT, RTF ou TXT sont acceptés (le contenu du fichier a été vérifié, pas son nom).';

describe('CV documents detected by content (seed 002: doc, docx, txt, odt, pdf ou rtf)', () => {
  it('recognises DOCX, ODT, DOC and RTF', () => {
    expect(detectFileType(docx())).toEqual({ ok: true, type: 'docx' });
    expect(detectFileType(odt())).toEqual({ ok: true, type: 'odt' });
    expect(detectFileType(ole('WordDocument'))).toEqual({ ok: true, type: 'doc' });
    expect(detectFileType(text('{\\rtf1\\ansi Bonjour\\par}\r\n'))).toEqual({ ok: true, type: 'rtf' });
    expect(zipEntryNames(docx())).toEqual(['[Content_Types].xml', 'word/document.xml']);
  });

  it('other archives and compound files are not documents; broken ones are refused', () => {
    expect(detectFileType(zipSync({ 'a.txt': strToU8('x') }))).toEqual({ ok: false, reason: 'unknown' });
    expect(detectFileType(ole('Workbook'))).toEqual({ ok: false, reason: 'unknown' });
    expect(detectFileType(docx().subarray(0, 60))).toEqual({ ok: false, reason: 'unknown' });
    expect(detectFileType(odt().subarray(0, 100))).toMatchObject({
      ok: false,
      reason: 'damaged',
      claimed: 'odt',
    });
    expect(detectFileType(text('{\\rtf1 cut'))).toMatchObject({
      ok: false,
      reason: 'damaged',
      claimed: 'rtf',
    });
    expect(checkFileContent('cv', text('{\\rtf1 cut'))).toMatchObject({ status: 415, reason: 'damaged' });
  });

  it('plain text is accepted for CVs only, and never markup or binary', () => {
    expect(isPlainText(text('Thomas Garcia\nBoulanger\n'))).toBe(true);
    expect(isPlainText(new Uint8Array([0x43, 0x72, 0xe8, 0x6d, 0x65]))).toBe(true); // « Crème » in Latin-1
    expect(isPlainText(text('  <html><script>alert(1)</script>'))).toBe(false);
    expect(isPlainText(new Uint8Array([0x41, 0x00, 0x42]))).toBe(false);
    expect(detectFileType(text('Boulanger'))).toEqual({ ok: false, reason: 'unknown' });
    expect(checkFileContent('cv', text('Boulanger'))).toMatchObject({
      ok: true,
      type: 'txt',
      mime: 'text/plain',
    });
    expect(checkFileContent('cv', text('<svg onload="x"/>'))).toMatchObject({
      status: 415,
      message: CV_REFUSED,
    });
    expect(checkFileContent('logo', text('Boulanger'))).toMatchObject({ ok: false, status: 415 });
    expect(checkFileContent('letter', docx())).toMatchObject({ ok: false, status: 415 });
  });

  it('the cv rule: 5 Mo, six formats; images keep their own rules', () => {
    expect(FILE_PURPOSES.cv.types).toEqual(['pdf', 'doc', 'docx', 'odt', 'rtf', 'txt']);
    expect(FILE_PURPOSES.cv.maxBytes).toBe(5 * 1024 * 1024);
    expect(FILE_PURPOSES.photo.types).toEqual(['jpg', 'png']);
    expect(checkFileContent('cv', docx())).toMatchObject({
      ok: true,
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
  });
});
