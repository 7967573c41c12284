/**
 * A small PDF 1.4 writer, with no dependency (issue 6 « Exports »: the applicant's PDF dossier,
 * made offline in the workstation's renderer). A4 pages; the standard fonts Helvetica and
 * Helvetica-Bold with WinAnsiEncoding (French accents, œ, €, ’ « » mapped from Unicode to their
 * WinAnsi codes); text wrapped with the real Helvetica glyph widths (Adobe AFM widths of the
 * WinAnsi range, below); headings, paragraphs, list items, key/value lines, thin rules; automatic
 * page breaks; footers « Page N / M » with an optional line of text; document information (Title,
 * Producer, CreationDate). The cross-reference table holds byte offsets.
 *
 * Pure: `Uint8Array` only (no `Buffer`), runs in the renderer and in Node (tests).
 */

export type PdfFont = 'regular' | 'bold';

/** Advance widths (1/1000 em) of WinAnsi codes 32–255, from Adobe's Helvetica.afm (0: no glyph). */
const HELVETICA_WIDTHS: readonly number[] = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
  500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
  556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
  278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0, 556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000,
  667, 333, 1000, 0, 611, 0, 0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 500,
  278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333,
  556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667,
  667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
  611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556, 556, 556,
  556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];
/** The same for Helvetica-Bold.afm. */
const HELVETICA_BOLD_WIDTHS: readonly number[] = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278,
  556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584,
  556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556,
  333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0, 556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000,
  667, 333, 1000, 0, 611, 0, 0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 556,
  278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333,
  611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667, 667,
  667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
  611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611, 611, 611,
  611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

const WIDTHS: Record<PdfFont, readonly number[]> = {
  regular: HELVETICA_WIDTHS,
  bold: HELVETICA_BOLD_WIDTHS,
};
const FONT_RESOURCE: Record<PdfFont, string> = { regular: 'F1', bold: 'F2' };

/** Unicode characters of the WinAnsi range 0x80–0x9F (Windows-1252). */
const WIN_ANSI_HIGH: Record<number, number> = {
  8364: 0x80, // €
  8218: 0x82, // ‚
  402: 0x83, // ƒ
  8222: 0x84, // „
  8230: 0x85, // …
  8224: 0x86, // †
  8225: 0x87, // ‡
  710: 0x88, // ˆ
  8240: 0x89, // ‰
  352: 0x8a, // Š
  8249: 0x8b, // ‹
  338: 0x8c, // Œ
  381: 0x8e, // Ž
  8216: 0x91, // ‘
  8217: 0x92, // ’
  8220: 0x93, // “
  8221: 0x94, // ”
  8226: 0x95, // •
  8211: 0x96, // –
  8212: 0x97, // —
  732: 0x98, // ˜
  8482: 0x99, // ™
  353: 0x9a, // š
  8250: 0x9b, // ›
  339: 0x9c, // œ
  382: 0x9e, // ž
  376: 0x9f, // Ÿ
};

/** Characters outside WinAnsi printed as a close one. */
const SUBSTITUTES: Record<number, number> = {
  8194: 0x20,
  8195: 0x20,
  8196: 0x20,
  8197: 0x20,
  8198: 0x20,
  8201: 0x20,
  8202: 0x20,
  8199: 0xa0,
  8239: 0xa0, // espace fine insécable (« … »)
  8208: 0x2d,
  8209: 0x2d,
  8210: 0x96,
  8213: 0x97,
  8722: 0x2d, // minus
  700: 0x92, // modifier apostrophe
  8242: 0x92,
  8243: 0x94,
  8259: 0x95,
  8729: 0x95,
  9679: 0x95,
};

/** → is not in WinAnsi: it is printed with the Symbol font (code 0xAE, `arrowright`, 987 wide). */
const ARROW = 0x2192;
const SYMBOL_ARROW = 0x1ae;
const SYMBOL_ARROW_WIDTH = 987;

/** A WinAnsi code for one Unicode code point, or null when none fits. */
function winAnsiCode(cp: number): number | null {
  if (cp >= 0x20 && cp <= 0x7e) return cp;
  if (cp >= 0xa0 && cp <= 0xff) return cp === 0xad ? null : cp;
  const high = WIN_ANSI_HIGH[cp];
  if (high !== undefined) return high;
  const sub = SUBSTITUTES[cp];
  if (sub !== undefined) return sub;
  return null;
}

/**
 * The WinAnsi codes of a text: tabs become spaces, line breaks and other controls and soft hyphens
 * are dropped, a letter with an accent WinAnsi lacks loses the accent (ō → o), → becomes `->`,
 * anything else is `?`.
 */
export function toWinAnsi(text: string): number[] {
  return encode(text, false);
}

/** Like `toWinAnsi`; with `symbols`, → is SYMBOL_ARROW (drawn with the Symbol font). */
function encode(text: string, symbols: boolean): number[] {
  const codes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === ARROW) {
      if (symbols) codes.push(SYMBOL_ARROW);
      else codes.push(0x2d, 0x3e);
      continue;
    }
    if (cp === 0x09) {
      codes.push(0x20);
      continue;
    }
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0xad || cp === 0x200b || cp === 0xfeff) continue;
    if (cp >= 0x300 && cp <= 0x36f) continue; // a lone combining mark
    const code = winAnsiCode(cp);
    if (code !== null) {
      codes.push(code);
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    const mapped = [...base].map((c) => winAnsiCode(c.codePointAt(0) ?? 0));
    if (base && mapped.every((c): c is number => c !== null)) codes.push(...mapped);
    else codes.push(0x3f);
  }
  return codes;
}

function codesWidth(codes: readonly number[], font: PdfFont, size: number): number {
  const table = WIDTHS[font];
  let w = 0;
  for (const c of codes) w += c === SYMBOL_ARROW ? SYMBOL_ARROW_WIDTH : (table[c - 32] ?? 0);
  return (w * size) / 1000;
}

/** The printed width of a text in points (Helvetica metrics, WinAnsi mapping). */
export function textWidth(text: string, font: PdfFont, size: number): number {
  return codesWidth(encode(text, true), font, size);
}

/**
 * Lines of at most `maxWidth` points: words are kept whole (split at spaces; a word longer than a
 * line is cut), explicit line breaks are kept (an empty line stays empty).
 */
export function wrapText(text: string, font: PdfFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    const words = paragraph
      .replace(/\t/g, ' ')
      .split(' ')
      .filter((w) => w !== '');
    if (words.length === 0) {
      lines.push('');
      continue;
    }
    let line = '';
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (textWidth(candidate, font, size) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      if (textWidth(word, font, size) <= maxWidth) {
        line = word;
        continue;
      }
      // A word longer than the line (a URL, an e-mail): cut it.
      let piece = '';
      for (const ch of word) {
        if (piece && textWidth(piece + ch, font, size) > maxWidth) {
          lines.push(piece);
          piece = '';
        }
        piece += ch;
      }
      line = piece;
    }
    lines.push(line);
  }
  return lines;
}

/** A4 in points. */
export const A4 = { width: 595.28, height: 841.89 } as const;

export interface PdfInfo {
  title: string;
  author?: string;
  subject?: string;
  producer?: string;
  creationDate: Date;
}

export interface PdfWriterOptions {
  info: PdfInfo;
  /** A line printed at the bottom left of every page (the page number is at the right). */
  footer?: string;
  /** Left and right margins in points (default 56, about 2 cm). */
  margin?: number;
}

export interface TextOptions {
  font?: PdfFont;
  size?: number;
  /** Points from the left margin. */
  indent?: number;
  /** Grey level, 0 black (default) to 1 white. */
  gray?: number;
  /** Space after the block, in points (default a third of the size). */
  after?: number;
}

const TOP = 56;
const FIRST_PAGE = 7;
const BOTTOM = 64;
const FOOTER_Y = 30;
const BODY_SIZE = 10;
const LEADING = 1.32;

const num = (n: number) => {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
};

function hexOf(codes: readonly number[]): string {
  let s = '';
  for (const c of codes) s += (c & 0xff).toString(16).padStart(2, '0');
  return s.toUpperCase();
}

/** The operators printing a text at (x, baseline): runs of WinAnsi text, → in the Symbol font. */
function textOps(
  text: string,
  x: number,
  baseline: number,
  font: PdfFont,
  size: number,
  gray: number,
): string {
  const codes = encode(text, true);
  if (codes.length === 0) return '';
  const runs: string[] = [];
  let run: number[] = [];
  let symbol = false;
  const flush = () => {
    if (run.length === 0) return;
    const resource = symbol ? 'F3' : FONT_RESOURCE[font];
    runs.push(`/${resource} ${num(size)} Tf <${hexOf(run)}> Tj`);
    run = [];
  };
  for (const c of codes) {
    const isSymbol = c === SYMBOL_ARROW;
    if (isSymbol !== symbol) {
      flush();
      symbol = isSymbol;
    }
    run.push(c);
  }
  flush();
  return `BT ${num(gray)} g 1 0 0 1 ${num(x)} ${num(baseline)} Tm ${runs.join(' ')} ET`;
}

/** A text string of the document information: UTF-16BE with its byte order mark, in hex. */
function infoString(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return `<${hex.toUpperCase()}>`;
}

/** `D:YYYYMMDDHHmmSSZ` (UTC). */
export function pdfDate(date: Date): string {
  const d = Number.isNaN(date.getTime()) ? new Date(0) : date;
  const p = (n: number, l = 2) => String(n).padStart(l, '0');
  return `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

/** Bytes of a string whose characters are all below 256 (the PDF syntax written here is ASCII). */
function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new Error(`Caractère hors Latin-1 dans la syntaxe PDF (position ${i}).`);
    out[i] = c;
  }
  return out;
}

/**
 * Builds a PDF page by page: each call adds a block under the previous one, starting a new page when
 * the block does not fit. `toBytes()` adds the footers (now that the page count is known) and
 * writes the file.
 */
export class PdfWriter {
  private readonly pages: string[][] = [];
  private y = 0;
  private readonly margin: number;
  private readonly info: PdfInfo;
  private readonly footer: string | undefined;

  constructor(options: PdfWriterOptions) {
    this.info = options.info;
    this.footer = options.footer;
    this.margin = options.margin ?? 56;
  }

  /** The width available for text between the margins. */
  get contentWidth(): number {
    return A4.width - 2 * this.margin;
  }

  get pageCount(): number {
    return this.pages.length;
  }

  private get current(): string[] {
    if (this.pages.length === 0) this.newPage();
    return this.pages[this.pages.length - 1] as string[];
  }

  newPage(): void {
    this.pages.push([]);
    this.y = A4.height - TOP;
  }

  /** Starts a new page unless `height` points still fit above the bottom margin. */
  ensure(height: number): void {
    if (this.pages.length === 0) this.newPage();
    if (this.y - height < BOTTOM) this.newPage();
  }

  space(points: number): void {
    if (this.pages.length === 0) this.newPage();
    this.y -= points;
    if (this.y < BOTTOM) this.newPage();
  }

  private drawText(text: string, x: number, baseline: number, font: PdfFont, size: number, gray = 0): void {
    const ops = textOps(text, x, baseline, font, size, gray);
    if (ops) this.current.push(ops);
  }

  /** One line of text at the current position (the caller made sure it fits). */
  private line(text: string, x: number, font: PdfFont, size: number, gray = 0): void {
    const height = size * LEADING;
    this.ensure(height);
    this.y -= height;
    this.drawText(text, x, this.y + size * 0.28, font, size, gray);
  }

  heading(text: string, level: 1 | 2 | 3 = 1): void {
    const size = level === 1 ? 18 : level === 2 ? 13.5 : 11;
    const before = level === 1 ? 0 : level === 2 ? 14 : 8;
    const lines = wrapText(text, 'bold', size, this.contentWidth);
    // Keep the heading with at least two lines of what follows.
    const needed = before + lines.length * size * LEADING + 4 + 2 * BODY_SIZE * LEADING;
    if (this.pages.length === 0) this.newPage();
    if (this.y - needed < BOTTOM) this.newPage();
    else if (this.y < A4.height - TOP) this.y -= before;
    for (const l of lines) this.line(l, this.margin, 'bold', size);
    if (level === 2) {
      this.y -= 3;
      this.current.push(
        `q 0.6 G 0.6 w ${num(this.margin)} ${num(this.y)} m ${num(A4.width - this.margin)} ${num(this.y)} l S Q`,
      );
      this.y -= 5;
    } else this.y -= level === 1 ? 6 : 2;
  }

  paragraph(text: string, options: TextOptions = {}): void {
    const font = options.font ?? 'regular';
    const size = options.size ?? BODY_SIZE;
    const indent = options.indent ?? 0;
    const lines = wrapText(text, font, size, this.contentWidth - indent);
    for (const l of lines) {
      if (l === '') this.space(size * 0.6);
      else this.line(l, this.margin + indent, font, size, options.gray ?? 0);
    }
    this.y -= options.after ?? size / 3;
  }

  /** A bulleted line (wrapped lines aligned after the bullet). */
  listItem(text: string, options: TextOptions = {}): void {
    const font = options.font ?? 'regular';
    const size = options.size ?? BODY_SIZE;
    const indent = (options.indent ?? 0) + 12;
    const lines = wrapText(text, font, size, this.contentWidth - indent);
    lines.forEach((l, i) => {
      this.line(l, this.margin + indent, font, size, options.gray ?? 0);
      if (i === 0) this.drawText('•', this.margin + indent - 10, this.y + size * 0.28, 'regular', size);
    });
    this.y -= options.after ?? 2;
  }

  /** « Key » in bold in a left column, the value wrapped in the right column. */
  keyValue(key: string, value: string, keyWidth = 150): void {
    const size = BODY_SIZE;
    const gap = 8;
    const keys = wrapText(key, 'bold', size, keyWidth);
    const values = wrapText(value, 'regular', size, this.contentWidth - keyWidth - gap);
    const count = Math.max(keys.length, values.length);
    const height = size * LEADING;
    for (let i = 0; i < count; i++) {
      this.ensure(height);
      this.y -= height;
      const baseline = this.y + size * 0.28;
      const k = keys[i];
      const v = values[i];
      if (k) this.drawText(k, this.margin, baseline, 'bold', size);
      if (v) this.drawText(v, this.margin + keyWidth + gap, baseline, 'regular', size);
    }
    this.y -= 1.5;
  }

  /** A thin horizontal line across the text width. */
  rule(): void {
    this.ensure(10);
    this.y -= 5;
    this.current.push(
      `q 0.75 G 0.5 w ${num(this.margin)} ${num(this.y)} m ${num(A4.width - this.margin)} ${num(this.y)} l S Q`,
    );
    this.y -= 5;
  }

  private footerOps(index: number, total: number): string {
    const ops: string[] = [];
    const size = 8;
    const push = (text: string, x: number) => {
      const t = textOps(text, x, FOOTER_Y, 'regular', size, 0.35);
      if (t) ops.push(t);
    };
    ops.push(
      `q 0.75 G 0.5 w ${num(this.margin)} ${num(FOOTER_Y + 12)} m ${num(A4.width - this.margin)} ${num(FOOTER_Y + 12)} l S Q`,
    );
    const pageText = `Page ${index + 1} / ${total}`;
    const pageWidth = textWidth(pageText, 'regular', size);
    if (this.footer) {
      const room = this.contentWidth - pageWidth - 16;
      const [first = ''] = wrapText(this.footer, 'regular', size, Math.max(room, 10));
      push(first, this.margin);
    }
    push(pageText, A4.width - this.margin - pageWidth);
    return ops.join('\n');
  }

  /** The PDF file. */
  toBytes(): Uint8Array {
    if (this.pages.length === 0) this.newPage();
    const total = this.pages.length;
    const chunks: Uint8Array[] = [];
    let length = 0;
    const offsets: number[] = [];
    const write = (text: string | Uint8Array) => {
      const bytes = typeof text === 'string' ? latin1(text) : text;
      chunks.push(bytes);
      length += bytes.length;
    };
    const object = (id: number, body: string) => {
      offsets[id] = length;
      write(`${id} 0 obj\n${body}\nendobj\n`);
    };

    // Objects: 1 catalog, 2 page tree, 3–5 fonts, 6 info, then a page and its content per page.
    const pageIds = this.pages.map((_, i) => FIRST_PAGE + 2 * i);
    write('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n');
    object(1, '<< /Type /Catalog /Pages 2 0 R >>');
    object(2, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${total} >>`);
    object(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
    object(4, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
    object(5, '<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>');
    const info = [
      `/Title ${infoString(this.info.title)}`,
      this.info.author ? `/Author ${infoString(this.info.author)}` : '',
      this.info.subject ? `/Subject ${infoString(this.info.subject)}` : '',
      `/Producer ${infoString(this.info.producer ?? 'Recrutement – poste de travail')}`,
      `/CreationDate (${pdfDate(this.info.creationDate)})`,
    ].filter(Boolean);
    object(6, `<< ${info.join(' ')} >>`);
    this.pages.forEach((ops, i) => {
      const pageId = FIRST_PAGE + 2 * i;
      const contentId = pageId + 1;
      object(
        pageId,
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(A4.width)} ${num(A4.height)}] ` +
          `/Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> /ProcSet [/PDF /Text] >> /Contents ${contentId} 0 R >>`,
      );
      const stream = latin1([...ops, this.footerOps(i, total)].join('\n'));
      offsets[contentId] = length;
      write(`${contentId} 0 obj\n<< /Length ${stream.length} >>\nstream\n`);
      write(stream);
      write('\nendstream\nendobj\n');
    });

    const size = FIRST_PAGE + 2 * total;
    const xref = length;
    let table = `xref\n0 ${size}\n0000000000 65535 f \n`;
    for (let id = 1; id < size; id++) table += `${String(offsets[id] ?? 0).padStart(10, '0')} 00000 n \n`;
    write(table);
    write(`trailer\n<< /Size ${size} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`);

    const out = new Uint8Array(length);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
