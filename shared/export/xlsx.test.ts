import { createRequire } from 'node:module';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { columnName, excelSerial, sheetName, toXlsx } from './xlsx';

// A strict, non-validating XML parser: it throws on any well-formedness error.
const require = createRequire(import.meta.url);
const sax = require('sax') as {
  parser(strict: boolean): {
    onerror: (e: Error) => void;
    onopentag: (node: { name: string; attributes: Record<string, string> }) => void;
    ontext: (t: string) => void;
    onclosetag: (name: string) => void;
    write(s: string): { close(): void };
  };
};

interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function parseXml(xml: string): XmlNode {
  const parser = sax.parser(true);
  const root: XmlNode = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  parser.onerror = (e) => {
    throw e;
  };
  parser.onopentag = (node) => {
    const el: XmlNode = { name: node.name, attributes: { ...node.attributes }, children: [], text: '' };
    stack[stack.length - 1]?.children.push(el);
    stack.push(el);
  };
  parser.ontext = (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  parser.write(xml).close();
  const first = root.children[0];
  if (!first) throw new Error('document vide');
  return first;
}

const all = (node: XmlNode, name: string): XmlNode[] => [
  ...node.children.filter((c) => c.name === name),
  ...node.children.flatMap((c) => all(c, name)),
];
const first = (node: XmlNode, name: string): XmlNode => {
  const found = all(node, name)[0];
  if (!found) throw new Error(`<${name}> absent`);
  return found;
};

/** Every cell of the sheet by reference: its type, style and value (inline text or <v>). */
function cells(sheet: XmlNode): Map<string, { t?: string; s?: string; value: string }> {
  const map = new Map<string, { t?: string; s?: string; value: string }>();
  for (const c of all(sheet, 'c')) {
    const inline = all(c, 't')[0];
    const v = all(c, 'v')[0];
    map.set(c.attributes.r ?? '', {
      ...(c.attributes.t ? { t: c.attributes.t } : {}),
      ...(c.attributes.s ? { s: c.attributes.s } : {}),
      value: inline ? inline.text : (v?.text ?? ''),
    });
  }
  return map;
}

const PARTS = [
  '[Content_Types].xml',
  '_rels/.rels',
  'xl/workbook.xml',
  'xl/_rels/workbook.xml.rels',
  'xl/worksheets/sheet1.xml',
  'xl/styles.xml',
];

function open(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strFromU8(v)]));
}

describe('toXlsx', () => {
  const bytes = toXlsx({
    name: 'Candidats : offre [12]/2026 * très longue ?',
    header: ['Nom', 'Note', 'Reçue le', 'Doublon', 'Vide'],
    rows: [
      ['Hélène <Martin> & "fils" l’oral', 4.5, new Date('2026-01-15T14:05:00Z'), true, null],
      ['=1+1', -3, new Date('2026-07-03T14:05:00Z'), false, undefined],
      ["+cmd|' /C calc'!A0", 0, null, null, ''],
      ['contrôle\u0001\u0008 ok\uFFFE', Number.NaN, new Date('invalid'), null, '  espaces  '],
    ],
  });
  const parts = open(bytes);

  it('is a zip with the six parts of a minimal workbook, each well-formed XML', () => {
    expect(bytes[0]).toBe(0x50); // PK
    expect(bytes[1]).toBe(0x4b);
    expect(Object.keys(parts).sort()).toEqual([...PARTS].sort());
    for (const name of PARTS) expect(() => parseXml(parts[name] ?? ''), name).not.toThrow();
  });

  it('declares every part and relation (content types, rels, workbook → sheet and styles)', () => {
    const types = parseXml(parts['[Content_Types].xml'] ?? '');
    const overrides = all(types, 'Override').map((o) => o.attributes.PartName);
    expect(overrides).toEqual(
      expect.arrayContaining(['/xl/workbook.xml', '/xl/worksheets/sheet1.xml', '/xl/styles.xml']),
    );
    const rels = parseXml(parts['xl/_rels/workbook.xml.rels'] ?? '');
    expect(all(rels, 'Relationship').map((r) => r.attributes.Target)).toEqual([
      'worksheets/sheet1.xml',
      'styles.xml',
    ]);
    const root = parseXml(parts['_rels/.rels'] ?? '');
    expect(first(root, 'Relationship').attributes.Target).toBe('xl/workbook.xml');
  });

  it('writes texts as inline strings, XML-escaped, and never a formula', () => {
    const sheet = parseXml(parts['xl/worksheets/sheet1.xml'] ?? '');
    const c = cells(sheet);
    expect(c.get('A2')).toEqual({ t: 'inlineStr', value: 'Hélène <Martin> & "fils" l’oral' });
    expect(c.get('A3')).toEqual({ t: 'inlineStr', value: '=1+1' });
    expect(c.get('A4')).toEqual({ t: 'inlineStr', value: "+cmd|' /C calc'!A0" });
    expect(parts['xl/worksheets/sheet1.xml']).toContain('Hélène &lt;Martin&gt; &amp; &quot;fils&quot;');
    for (const name of PARTS) expect(parts[name]).not.toMatch(/<f[\s>/]/);
    expect(all(sheet, 'f')).toHaveLength(0);
  });

  it('removes the characters XML forbids and keeps spaces', () => {
    const c = cells(parseXml(parts['xl/worksheets/sheet1.xml'] ?? ''));
    expect(c.get('A5')?.value).toBe('contrôle ok');
    expect(c.get('E5')?.value).toBe('  espaces  ');
  });

  it('writes numbers as numbers, dates as serial numbers with the date style, booleans Oui/Non', () => {
    const c = cells(parseXml(parts['xl/worksheets/sheet1.xml'] ?? ''));
    expect(c.get('B2')).toEqual({ value: '4.5' });
    expect(c.get('B3')).toEqual({ value: '-3' });
    expect(c.get('B4')).toEqual({ value: '0' });
    expect(c.has('B5')).toBe(false); // NaN: empty
    // 15/01/2026 15:05 in Paris: serial 46037 + 15:05.
    const serial = Number(c.get('C2')?.value);
    expect(serial).toBeCloseTo(46037 + (15 * 60 + 5) / 1440, 8);
    expect(c.get('C2')?.s).toBe('2');
    expect(Number(c.get('C3')?.value)).toBeCloseTo(46206 + (16 * 60 + 5) / 1440, 8);
    expect(c.has('C4')).toBe(false);
    expect(c.has('C5')).toBe(false); // invalid date: empty
    expect(c.get('D2')).toEqual({ t: 'inlineStr', value: 'Oui' });
    expect(c.get('D3')).toEqual({ t: 'inlineStr', value: 'Non' });
    expect(c.has('E2')).toBe(false);
  });

  it('makes the header bold, frozen, with an autofilter over the whole table', () => {
    const sheet = parseXml(parts['xl/worksheets/sheet1.xml'] ?? '');
    const c = cells(sheet);
    expect(c.get('A1')).toEqual({ t: 'inlineStr', s: '1', value: 'Nom' });
    expect(c.get('C1')?.value).toBe('Reçue le');
    const pane = first(sheet, 'pane');
    expect(pane.attributes).toMatchObject({ ySplit: '1', topLeftCell: 'A2', state: 'frozen' });
    expect(first(sheet, 'autoFilter').attributes.ref).toBe('A1:E5');
    expect(first(sheet, 'dimension').attributes.ref).toBe('A1:E5');
    const styles = parseXml(parts['xl/styles.xml'] ?? '');
    const xfs = all(first(styles, 'cellXfs'), 'xf');
    const fonts = all(first(styles, 'fonts'), 'font');
    const headerFont = fonts[Number(xfs[1]?.attributes.fontId)];
    expect(headerFont && all(headerFont, 'b')).toHaveLength(1);
    expect(xfs[2]?.attributes.numFmtId).toBe('164');
    expect(first(styles, 'numFmt').attributes.formatCode).toMatch(/dd\/mm\/yyyy/);
    // Element order matters to Excel: sheetViews, sheetFormatPr, cols, sheetData, autoFilter.
    expect(sheet.children.map((n) => n.name)).toEqual([
      'dimension',
      'sheetViews',
      'sheetFormatPr',
      'cols',
      'sheetData',
      'autoFilter',
    ]);
  });

  it('names the sheet within Excel’s rules and defines the filter range', () => {
    const workbook = parseXml(parts['xl/workbook.xml'] ?? '');
    const name = first(workbook, 'sheet').attributes.name ?? '';
    expect(name.length).toBeLessThanOrEqual(31);
    expect(name).not.toMatch(/[[\]:*?/\\]/);
    expect(name.startsWith('Candidats')).toBe(true);
    expect(first(workbook, 'definedName').text).toBe(`'${name}'!$A$1:$E$5`);
  });
});

describe('helpers', () => {
  it('sheetName cleans forbidden characters, apostrophes at the ends and the length', () => {
    expect(sheetName('a/b\\c?d*e[f]g:h')).toBe('a b c d e f g h');
    expect(sheetName("'Offre'")).toBe('Offre');
    expect(sheetName('x'.repeat(40))).toHaveLength(31);
    expect(sheetName('  ')).toBe('Feuille1');
    expect(sheetName('é'.repeat(40))).toBe('é'.repeat(31));
  });

  it('columnName counts like a spreadsheet', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });

  it('excelSerial uses Paris wall-clock time (1900 system)', () => {
    expect(excelSerial(new Date('2025-12-31T23:00:00Z'))).toBe(46023); // midnight on 1 January 2026 in Paris
    expect(excelSerial(new Date('2026-03-29T00:30:00Z'))).toBeCloseTo(46110 + 1.5 / 24, 8); // before the change to summer time
    expect(excelSerial(new Date('2026-03-29T01:30:00Z'))).toBeCloseTo(46110 + 3.5 / 24, 8); // after
  });

  it('writes an empty table (header only) that still parses', () => {
    const parts = open(toXlsx({ name: 'Vide', header: ['Nom'], rows: [], widths: [30] }));
    const sheet = parseXml(parts['xl/worksheets/sheet1.xml'] ?? '');
    expect(first(sheet, 'autoFilter').attributes.ref).toBe('A1:A1');
    expect(first(sheet, 'col').attributes.width).toBe('30');
  });
});
