import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkFileContent, detectFileType } from '../../../shared/domain/files';
import { makeCvPdf, makeDoc, makeDocx, makeOdt, makeRtf } from './cv-sample-files';
import { extractCvText, normaliseText, rtfText, zipPart } from './cv-text';

const LINES = ['Thomas Garcia — Boulanger', 'Pâtisserie, viennoiserie « maison »', 'Cinq ans d’expérience'];

describe('CV file text extraction (issue 4: text extracted for search)', () => {
  it('reads a PDF made with pdfkit, accents included', async () => {
    const pdf = await makeCvPdf(LINES);
    expect(detectFileType(pdf)).toEqual({ ok: true, type: 'pdf' });
    const text = await extractCvText('pdf', pdf);
    expect(text).toContain('Boulanger');
    expect(text).toContain('Pâtisserie, viennoiserie');
    expect(text).toContain('expérience');
  });

  it('reads DOCX paragraphs', async () => {
    const docx = makeDocx(LINES);
    expect(detectFileType(docx)).toEqual({ ok: true, type: 'docx' });
    expect(await extractCvText('docx', docx)).toBe(LINES.join('\n'));
  });

  it('reads ODT paragraphs', async () => {
    const odt = makeOdt([...LINES, 'Sel & levain']);
    expect(detectFileType(odt)).toEqual({ ok: true, type: 'odt' });
    expect(await extractCvText('odt', odt)).toBe([...LINES, 'Sel & levain'].join('\n'));
  });

  it('reads RTF: control words, font tables and \\* destinations dropped, cp1252 and \\u escapes decoded', async () => {
    const rtf = makeRtf(LINES);
    expect(detectFileType(rtf)).toEqual({ ok: true, type: 'rtf' });
    const text = await extractCvText('rtf', rtf);
    expect(text).toBe(LINES.join('\n'));
    expect(text).not.toContain('Times New Roman');
    expect(text).not.toContain('Test');
    expect(rtfText(Buffer.from('{\\rtf1 a\\{b\\}\\tab c}'))).toBe('a{b}\tc');
  });

  it('reads TXT as UTF-8, or Windows-1252 when it is not UTF-8', async () => {
    expect(await extractCvText('txt', Buffer.from('Élodie\r\ncuisinière'))).toBe('Élodie\ncuisinière');
    expect(await extractCvText('txt', Buffer.from('Cr\xe8me br\xfbl\xe9e', 'latin1'))).toBe('Crème brûlée');
  });

  it('gives nothing (never throws) for DOC files and broken files', async () => {
    expect(detectFileType(makeDoc())).toEqual({ ok: true, type: 'doc' });
    expect(await extractCvText('doc', makeDoc())).toBe('');
    expect(await extractCvText('pdf', Buffer.from('%PDF-1.4 garbage %%EOF'))).toBe('');
    expect(await extractCvText('docx', Buffer.from('PK\x03\x04 nope'))).toBe('');
  });

  it('normalises white space', () => {
    expect(normaliseText('  a \t b \r\n\n\n\n c  ')).toBe('a b\n\nc');
  });

  it('the cv purpose accepts every format, checked by content', async () => {
    for (const bytes of [await makeCvPdf(LINES), makeDocx(LINES), makeOdt(LINES), makeRtf(LINES), makeDoc()])
      expect(checkFileContent('cv', bytes)).toMatchObject({ ok: true });
    expect(checkFileContent('cv', Buffer.from('Un CV en texte brut.\n'))).toMatchObject({
      ok: true,
      type: 'txt',
      mime: 'text/plain',
    });
    expect(checkFileContent('logo', makeDocx(LINES))).toMatchObject({ ok: false, status: 415 });
  });
});

describe('zip bombs (DOCX, ODT)', () => {
  /** A DOCX whose document part inflates to `size` bytes; `declared`: the size its headers claim. */
  function bomb(size: number, declared?: number): Uint8Array {
    const xml = new Uint8Array(size).fill(0x41);
    const zip = zipSync({ 'word/document.xml': xml }, { level: 9 });
    if (declared !== undefined) {
      const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
      for (let i = 0; i < zip.length - 4; i++) {
        const sig = view.getUint32(i, true);
        if (sig === 0x04034b50) view.setUint32(i + 22, declared, true);
        if (sig === 0x02014b50) view.setUint32(i + 24, declared, true);
      }
    }
    return zip;
  }

  it('stops inflating a part past the limit, whatever size its headers declare', async () => {
    const lying = bomb(120 * 1024 * 1024, 1000);
    expect(lying.length).toBeLessThan(200_000);
    // Read whole into a buffer of the declared size, this part came back as 1,000 « A »: the
    // inflation went on to the end (about half a second per 100 MB). Now it stops past the limit.
    expect(await extractCvText('docx', lying)).toBe('');
    expect(zipPart(bomb(3_000_000, 10), 'word/document.xml', 1_000_000)).toBe('');
  });

  it('still reads a part within the limit, declared honestly or not', () => {
    expect(zipPart(bomb(500_000), 'word/document.xml', 1_000_000)).toHaveLength(500_000);
    expect(zipPart(bomb(500_000, 10), 'word/document.xml', 1_000_000)).toHaveLength(500_000);
    expect(zipPart(bomb(10), 'absent.xml')).toBe('');
    expect(zipPart(new Uint8Array([1, 2, 3]), 'word/document.xml')).toBe('');
  });
});
