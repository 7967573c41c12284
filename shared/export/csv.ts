/**
 * CSV export for French Excel (issue 6 « Exports »): `;` between cells, UTF-8 with a BOM (so that
 * Excel reads the accents), CRLF line ends, RFC 4180 quoting, decimal commas, dates
 * `JJ/MM/AAAA HH:MM` in Europe/Paris, booleans Oui/Non.
 *
 * CSV injection: a text cell that a spreadsheet would read as a formula (starting with = + - @,
 * a tab or a carriage return) gets a leading apostrophe. Numbers stay numbers: `-3` is a number
 * cell, not a formula.
 *
 * Pure and offline: runs in the workstation's renderer and in Node (tests).
 */

export type Cell = string | number | boolean | Date | null | undefined;

const PARIS = 'Europe/Paris';
let parisFormat: Intl.DateTimeFormat | null = null;

/** Paris's offset from UTC (ms) by UTC hour: it only changes on the hour, so one lookup per hour. */
const offsetByHour = new Map<number, number>();

function parisOffset(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  const cached = offsetByHour.get(hour);
  if (cached !== undefined) return cached;
  parisFormat ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: PARIS,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const at = hour * 3_600_000;
  const p: Record<string, number> = {};
  for (const part of parisFormat.formatToParts(new Date(at)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(
    p.year ?? 1970,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    (p.hour ?? 0) % 24,
    p.minute ?? 0,
    p.second ?? 0,
  );
  const offset = wall - at;
  if (offsetByHour.size > 10_000) offsetByHour.clear();
  offsetByHour.set(hour, offset);
  return offset;
}

/** The wall-clock time in Paris of an instant (summer and winter time). */
export function parisParts(date: Date): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
} {
  const ms = date.getTime();
  const wall = new Date(ms + parisOffset(ms));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `JJ/MM/AAAA` in Paris ('' for an invalid date). */
export function formatParisDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const p = parisParts(date);
  return `${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** `JJ/MM/AAAA HH:MM` in Paris ('' for an invalid date). */
export function formatParisDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const p = parisParts(date);
  return `${pad(p.day)}/${pad(p.month)}/${p.year} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** A number with a decimal comma and no thousands separator ('' when not finite). */
export function formatFrenchNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  return String(value).replace('.', ',');
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text a spreadsheet would take for a formula gets a leading apostrophe (CSV injection). */
export function safeText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** What a cell shows, before CSV quoting. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return formatFrenchNumber(cell);
  if (typeof cell === 'boolean') return cell ? 'Oui' : 'Non';
  if (cell instanceof Date) return formatParisDateTime(cell);
  return safeText(String(cell));
}

function quote(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(cells: readonly Cell[]): string {
  return cells.map((c) => quote(cellText(c))).join(';');
}

/** The whole file, BOM first, each line (the last one too) ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  let out = `\uFEFF${line(header)}\r\n`;
  for (const row of rows) out += `${line(row)}\r\n`;
  return out;
}
