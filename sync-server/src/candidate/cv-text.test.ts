import { describe, expect, it } from 'vitest';
import { checkFileContent, detectFileType } from '../../../shared/domain/files';
import { makeCvPdf, makeDoc, makeDocx, makeOdt, makeRtf } from './cv-sample-files';
import { extractCvText, normaliseText, rtfText } from './cv-text';

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
