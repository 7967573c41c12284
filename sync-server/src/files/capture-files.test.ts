import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkFileContent, FILE_PURPOSES } from '../../../shared/domain/files';
import { sampleJpeg } from './sample-files';

const docx = () =>
  zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w:document/>') });

describe('files of a fair capture', () => {
  it('the capture rule (a CV taken at a fair): a PDF or a photo, 8 Mo, checked by content', () => {
    const jpeg = new Uint8Array(sampleJpeg());
    const pdf = new TextEncoder().encode('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n%%EOF\n');
    expect(FILE_PURPOSES.capture.maxBytes).toBe(8 * 1024 * 1024);
    expect(checkFileContent('capture', jpeg)).toMatchObject({ ok: true, mime: 'image/jpeg' });
    expect(checkFileContent('capture', pdf)).toMatchObject({ ok: true, mime: 'application/pdf' });
    const word = checkFileContent('capture', docx());
    expect(word.ok).toBe(false);
    if (!word.ok) expect(word.message).toMatch(/PDF ou une photo JPG ou PNG/);
  });
});
