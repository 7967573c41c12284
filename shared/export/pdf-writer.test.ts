import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { A4, PdfWriter, pdfDate, textWidth, toWinAnsi, wrapText } from './pdf-writer';

interface PageText {
  text: string;
  items: { str: string; x: number; y: number; width: number }[];
}

async function read(bytes: Uint8Array) {
  // pdfjs takes ownership of the buffer it is given: hand it a copy.
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  const pdf = await task.promise;
  const pages: PageText[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    const items: PageText['items'] = [];
    let text = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      text += item.str + (item.hasEOL ? '\n' : '');
      if (item.str.trim())
        items.push({ str: item.str, x: item.transform[4], y: item.transform[5], width: item.width });
    }
    pages.push({ text, items });
  }
  const { info } = (await pdf.getMetadata()) as { info: Record<string, unknown> };
  await task.destroy();
  return { numPages: pdf.numPages, pages, info };
}

const latin1 = (bytes: Uint8Array) => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
};

describe('toWinAnsi', () => {
  it('maps French letters, œ, €, ’ « » to their WinAnsi codes', () => {
    expect(toWinAnsi('é è à ç É À Ç ô ï ù')).toEqual([
      0xe9, 0x20, 0xe8, 0x20, 0xe0, 0x20, 0xe7, 0x20, 0xc9, 0x20, 0xc0, 0x20, 0xc7, 0x20, 0xf4, 0x20, 0xef,
      0x20, 0xf9,
    ]);
    expect(toWinAnsi('œŒ€’‘«»“”–—…•')).toEqual([
      0x9c, 0x8c, 0x80, 0x92, 0x91, 0xab, 0xbb, 0x93, 0x94, 0x96, 0x97, 0x85, 0x95,
    ]);
  });

  it('substitutes what WinAnsi lacks and drops controls', () => {
    expect(toWinAnsi('a\u202Fb')).toEqual([0x61, 0xa0, 0x62]); // narrow no-break space
    expect(toWinAnsi('ō')).toEqual([0x6f]); // accent WinAnsi lacks: dropped
    expect(toWinAnsi('😀')).toEqual([0x3f]);
    expect(toWinAnsi('a\tb\nc\u0007\u00ADd')).toEqual([0x61, 0x20, 0x62, 0x63, 0x64]);
    expect(toWinAnsi('e\u0301')).toEqual([0x65]); // a lone combining mark
    expect(toWinAnsi('A → B')).toEqual([0x41, 0x20, 0x2d, 0x3e, 0x20, 0x42]);
  });
});

describe('textWidth and wrapText', () => {
  it('uses the Helvetica AFM widths', () => {
    // H 722, e 556, l 222, l 222, o 556 → 2 278 / 1000 em.
    expect(textWidth('Hello', 'regular', 10)).toBeCloseTo(22.78, 6);
    // Bold: H 722, e 556, l 278, l 278, o 611.
    expect(textWidth('Hello', 'bold', 10)).toBeCloseTo(24.45, 6);
    expect(textWidth('é', 'regular', 1000)).toBe(556);
    expect(textWidth('’', 'regular', 1000)).toBe(222);
    expect(textWidth('€', 'bold', 1000)).toBe(556);
    expect(textWidth('W', 'regular', 1000)).toBe(944);
    expect(textWidth('→', 'regular', 1000)).toBe(987); // Symbol arrowright
  });

  it('wraps at spaces within the width, keeps every word, cuts words longer than a line', () => {
    const text =
      'Boulanger pâtissier passionné, spécialiste des pains au levain et des viennoiseries « maison ».';
    const lines = wrapText(text, 'regular', 10, 120);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(textWidth(l, 'regular', 10)).toBeLessThanOrEqual(120);
    expect(lines.join(' ')).toBe(text);
    const long = wrapText('x'.repeat(100), 'regular', 10, 50);
    for (const l of long) expect(textWidth(l, 'regular', 10)).toBeLessThanOrEqual(50);
    expect(long.join('')).toBe('x'.repeat(100));
    expect(wrapText('un\n\ndeux', 'regular', 10, 500)).toEqual(['un', '', 'deux']);
  });
});

describe('PdfWriter', () => {
  function longDocument(): Uint8Array {
    const pdf = new PdfWriter({
      info: {
        title: 'Essai « été » – œuvre',
        producer: 'Tests',
        creationDate: new Date('2026-03-02T08:09:10Z'),
      },
      footer: 'Pied de page – confidentiel',
    });
    pdf.heading('Titre principal', 1);
    for (let i = 1; i <= 12; i++) {
      pdf.heading(`Section ${i}`, 2);
      pdf.keyValue('Clé très longue qui doit passer à la ligne dans sa colonne', `Valeur ${i} – l’été, 12 €`);
      pdf.paragraph(
        `Paragraphe ${i} : Hélène a réussi l’oral « haut la main », avec un cœur d’œuvre. `.repeat(6),
      );
      pdf.listItem(`Élément de liste ${i} → suivant`);
      pdf.rule();
    }
    return pdf.toBytes();
  }

  it('writes a PDF 1.4 whose xref gives the byte offset of every object', () => {
    const bytes = longDocument();
    const s = latin1(bytes);
    expect(s.startsWith('%PDF-1.4\n')).toBe(true);
    expect(s.trimEnd().endsWith('%%EOF')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(s)?.[1]);
    expect(s.slice(startxref, startxref + 4)).toBe('xref');
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(s.slice(startxref)) ?? [];
    expect(Number(first)).toBe(0);
    const entries = s
      .slice(startxref)
      .split('\n')
      .slice(2, 2 + Number(count));
    expect(entries[0]).toBe('0000000000 65535 f ');
    for (let id = 1; id < Number(count); id++) {
      const offset = Number(entries[id]?.slice(0, 10));
      expect(s.slice(offset, offset + `${id} 0 obj`.length), `objet ${id}`).toBe(`${id} 0 obj`);
    }
    expect(s).toMatch(new RegExp(`/Size ${Number(count)} `));
  });

  it('gives each content stream its exact /Length in bytes', () => {
    const s = latin1(longDocument());
    const streams = [...s.matchAll(/<< \/Length (\d+) >>\nstream\n/g)];
    expect(streams.length).toBeGreaterThan(1);
    for (const m of streams) {
      const start = (m.index ?? 0) + m[0].length;
      expect(s.slice(start + Number(m[1]), start + Number(m[1]) + 10)).toBe('\nendstream');
    }
  });

  it('breaks pages, numbers them « Page N / M », prints the footer and the document information', async () => {
    const { numPages, pages, info } = await read(longDocument());
    expect(numPages).toBeGreaterThan(2);
    pages.forEach((p, i) => {
      expect(p.text).toContain(`Page ${i + 1} / ${numPages}`);
      expect(p.text).toContain('Pied de page – confidentiel');
    });
    expect(info.Title).toBe('Essai « été » – œuvre');
    expect(info.Producer).toBe('Tests');
    expect(info.CreationDate).toBe('D:20260302080910Z');
    const all = pages.map((p) => p.text).join('\n');
    expect(all).toContain('Hélène a réussi l’oral « haut la main », avec un cœur d’œuvre.');
    expect(all).toContain('Valeur 12 – l’été, 12 €');
    expect(all).toContain('Élément de liste 7 → suivant');
  });

  it('keeps the text between the margins (real glyph widths) and above the footer', async () => {
    const { pages } = await read(longDocument());
    for (const p of pages)
      for (const item of p.items) {
        expect(item.x).toBeGreaterThanOrEqual(55);
        expect(item.x + item.width, item.str).toBeLessThanOrEqual(A4.width - 56 + 0.5);
        const isFooter = item.y < 40;
        if (!isFooter) expect(item.y, item.str).toBeGreaterThanOrEqual(64);
      }
  });

  it('writes one page for an empty document, and a valid date for an invalid one', async () => {
    const bytes = new PdfWriter({ info: { title: 'Vide', creationDate: new Date('x') } }).toBytes();
    const { numPages, pages } = await read(bytes);
    expect(numPages).toBe(1);
    expect(pages[0]?.text).toContain('Page 1 / 1');
    expect(pdfDate(new Date('x'))).toBe('D:19700101000000Z');
  });
});
