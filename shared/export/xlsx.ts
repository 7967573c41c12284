/**
 * XLSX export (issue 6 « Exports »): a minimal, valid Office Open XML workbook of one sheet, zipped
 * with fflate. Texts are inline strings (never formulas: no `<f>` is ever written, so `=1+1` stays a
 * text), numbers are numbers, dates are Excel serial numbers (Paris wall-clock time) with a date
 * style, booleans Oui/Non. The header row is bold, frozen and carries an autofilter.
 *
 * Pure and offline: runs in the workstation's renderer and in Node (tests).
 */
import { strToU8, zipSync } from 'fflate';
import { type Cell, parisParts } from './csv';

export interface XlsxSheet {
  name: string;
  header: readonly string[];
  rows: readonly (readonly Cell[])[];
  /** Column widths in characters; computed from the content when absent. */
  widths?: readonly number[];
}

/** Excel's limit for the text of one cell. */
const MAX_CELL_CHARS = 32_767;
const STYLE_HEADER = 1;
const STYLE_DATE = 2;

/** Removes the characters XML 1.0 does not allow (controls, lone surrogates, U+FFFE/U+FFFF). */
export function xmlSafe(text: string): string {
  return text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}

export function xmlEscape(text: string): string {
  return escapeMarkup(xmlSafe(text));
}

function escapeMarkup(text: string): string {
  if (!/[&<>"']/.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A sheet name Excel accepts: no []:*?/\, not starting or ending with an apostrophe, ≤ 31 characters. */
export function sheetName(name: string): string {
  const cleaned = xmlSafe(name)
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/[\t\r\n]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^'+|'+$/g, '')
    .trim();
  const chars = [...cleaned].slice(0, 31).join('').trim();
  return chars || 'Feuille1';
}

/** `A`, `B`, … `Z`, `AA`… for a 0-based column index. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** The Excel serial number of an instant, as the wall-clock time in Paris (1900 date system). */
export function excelSerial(date: Date): number {
  const p = parisParts(date);
  const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return (local - Date.UTC(1899, 11, 30)) / 86_400_000;
}

function textCell(ref: string, text: string, style?: number): string {
  let t = xmlSafe(text);
  if (t.length > MAX_CELL_CHARS) t = [...t].slice(0, MAX_CELL_CHARS).join('');
  const s = style ? ` s="${style}"` : '';
  return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${escapeMarkup(t)}</t></is></c>`;
}

function cellXml(ref: string, cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? `<c r="${ref}"><v>${cell}</v></c>` : '';
  if (typeof cell === 'boolean') return textCell(ref, cell ? 'Oui' : 'Non');
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return '';
    return `<c r="${ref}" s="${STYLE_DATE}"><v>${excelSerial(cell)}</v></c>`;
  }
  return textCell(ref, String(cell));
}

function displayLength(cell: Cell): number {
  if (cell === null || cell === undefined) return 0;
  if (cell instanceof Date) return 16;
  if (typeof cell === 'boolean') return 3;
  const text = String(cell);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return firstLine.length;
}

function columnWidths(sheet: XlsxSheet, count: number): number[] {
  const widths: number[] = [];
  for (let c = 0; c < count; c++) {
    const given = sheet.widths?.[c];
    if (typeof given === 'number' && Number.isFinite(given) && given > 0) {
      widths.push(Math.min(255, given));
      continue;
    }
    let max = (sheet.header[c] ?? '').length + 3; // room for the filter button
    for (const row of sheet.rows) max = Math.max(max, displayLength(row[c]));
    widths.push(Math.min(60, Math.max(8, max + 1)));
  }
  return widths;
}

function columnCount(sheet: XlsxSheet): number {
  let n = Math.max(1, sheet.header.length);
  for (const row of sheet.rows) n = Math.max(n, row.length);
  return n;
}

function sheetXml(sheet: XlsxSheet): string {
  const columns = columnCount(sheet);
  const lastRow = sheet.rows.length + 1;
  const lastCol = columnName(columns - 1);
  const widths = columnWidths(sheet, columns);
  const cols = widths
    .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
    .join('');
  const rows: string[] = [];
  rows.push(
    `<row r="1">${sheet.header.map((h, c) => textCell(`${columnName(c)}1`, h, STYLE_HEADER)).join('')}</row>`,
  );
  sheet.rows.forEach((row, i) => {
    const r = i + 2;
    rows.push(`<row r="${r}">${row.map((cell, c) => cellXml(`${columnName(c)}${r}`, cell)).join('')}</row>`);
  });
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<dimension ref="A1:${lastCol}${lastRow}"/>` +
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0">' +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' +
    '</sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    `<cols>${cols}</cols>` +
    `<sheetData>${rows.join('')}</sheetData>` +
    `<autoFilter ref="A1:${lastCol}${lastRow}"/>` +
    '</worksheet>'
  );
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '</Types>';

const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '</Relationships>';

const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
  '</Relationships>';

/** Styles: 0 default, 1 bold header, 2 date `jj/mm/aaaa hh:mm`. */
const STYLES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm"/></numFmts>' +
  '<fonts count="2">' +
  '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '</fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

function workbookXml(name: string, filterRef: string): string {
  const quoted = `'${name.replace(/'/g, "''")}'`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets><sheet name="${xmlEscape(name)}" sheetId="1" r:id="rId1"/></sheets>` +
    '<definedNames>' +
    `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">${xmlEscape(`${quoted}!${filterRef}`)}</definedName>` +
    '</definedNames>' +
    '</workbook>'
  );
}

/** The workbook's bytes (`.xlsx`, `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`). */
export function toXlsx(sheet: XlsxSheet): Uint8Array {
  const name = sheetName(sheet.name);
  const lastCol = columnName(columnCount(sheet) - 1);
  const filterRef = `$A$1:$${lastCol}$${sheet.rows.length + 1}`;
  const fixed = { mtime: new Date(Date.UTC(2000, 0, 1)) };
  return zipSync(
    {
      '[Content_Types].xml': [strToU8(CONTENT_TYPES), fixed],
      '_rels/.rels': [strToU8(ROOT_RELS), fixed],
      'xl/workbook.xml': [strToU8(workbookXml(name, filterRef)), fixed],
      'xl/_rels/workbook.xml.rels': [strToU8(WORKBOOK_RELS), fixed],
      'xl/styles.xml': [strToU8(STYLES), fixed],
      'xl/worksheets/sheet1.xml': [strToU8(sheetXml(sheet)), fixed],
    },
    { level: 6 },
  );
}
