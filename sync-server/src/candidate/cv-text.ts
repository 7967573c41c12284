/**
 * Text of an attached CV file, for the CVthèque search (issue 4: « text extracted for search where
 * the format allows »): PDF through pdfjs-dist, DOCX and ODT by unzipping (fflate) and reading their
 * XML, RTF by stripping control words, TXT as it is (UTF-8, else Windows-1252). Word 97-2003 (.doc)
 * files are accepted but not read (their binary format has no reader here): they give ''.
 *
 * Never throws on a bad file: a file that cannot be read gives ''.
 */
import { Inflate, strFromU8 } from 'fflate';
import type { FileType } from '../../../shared/domain/files';

/** At most this much text is kept per file. */
export const MAX_EXTRACTED_CHARS = 200_000;
/** A zipped XML part larger than this once inflated is not read (zip bombs). */
const MAX_XML_BYTES = 20 * 1024 * 1024;
const MAX_PDF_PAGES = 50;

export async function extractCvText(type: FileType | null, bytes: Uint8Array): Promise<string> {
  try {
    let text = '';
    if (type === 'pdf') text = await pdfText(bytes);
    else if (type === 'docx') text = docxText(bytes);
    else if (type === 'odt') text = odtText(bytes);
    else if (type === 'rtf') text = rtfText(bytes);
    else if (type === 'txt') text = plainText(bytes);
    return normaliseText(text).slice(0, MAX_EXTRACTED_CHARS);
  } catch {
    return '';
  }
}

/** Collapses runs of spaces, keeps line breaks (at most one empty line), trims. */
export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\f\v\u00a0 ]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs takes ownership of the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  try {
    const lines: string[] = [];
    for (let p = 1; p <= Math.min(doc.numPages, MAX_PDF_PAGES); p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      let line = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        line += item.str;
        if (item.hasEOL) {
          lines.push(line);
          line = '';
        }
      }
      if (line) lines.push(line);
      lines.push('');
    }
    return lines.join('\n');
  } finally {
    await task.destroy();
  }
}

/**
 * One part of a ZIP archive (DOCX, ODT), inflated at most to `MAX_XML_BYTES`: the archive is read
 * through its central directory, and the part inflated 16 KiB of input at a time, stopping as soon as
 * the output passes the limit. The sizes an archive declares are not trusted: a crafted header can
 * say 1 KB for a part that inflates to gigabytes, and inflating it whole kept the server busy for
 * seconds per megabyte sent. Zip64 archives, encrypted or unusual methods give ''.
 */
export function zipPart(bytes: Uint8Array, name: string, maxBytes = MAX_XML_BYTES): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : -1);
  const u16 = (at: number) => (at + 2 <= bytes.length ? view.getUint16(at, true) : -1);
  // End of central directory: in the last 64 KiB + 22 bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (u32(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return '';
  const count = u16(end + 10);
  let at = u32(end + 16);
  const wanted = new TextEncoder().encode(name);
  for (let n = 0; n < count && at >= 0 && u32(at) === 0x02014b50; n++) {
    const method = u16(at + 10);
    const flags = u16(at + 8);
    const compressed = u32(at + 20);
    const nameLength = u16(at + 28);
    const next = at + 46 + nameLength + u16(at + 30) + u16(at + 32);
    const entryName = bytes.subarray(at + 46, at + 46 + nameLength);
    if (entryName.length === wanted.length && entryName.every((b, i) => b === wanted[i])) {
      const local = u32(at + 42);
      if (compressed === 0xffffffff || local < 0 || u32(local) !== 0x04034b50 || flags & 1) return '';
      const start = local + 30 + u16(local + 26) + u16(local + 28);
      const data = bytes.subarray(start, Math.min(bytes.length, start + compressed));
      if (method === 0) return data.length <= maxBytes ? strFromU8(data) : '';
      if (method !== 8) return '';
      const chunks: Uint8Array[] = [];
      let total = 0;
      const inflate = new Inflate((chunk) => {
        total += chunk.length;
        if (total > maxBytes) throw new RangeError('zip bomb');
        chunks.push(chunk);
      });
      try {
        for (let i = 0; i < data.length; i += 16_384)
          inflate.push(data.subarray(i, i + 16_384), i + 16_384 >= data.length);
      } catch {
        return '';
      }
      const out = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      return strFromU8(out);
    }
    at = next;
  }
  return '';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (all, e: string) => {
    if (e.startsWith('#x')) return safeChar(Number.parseInt(e.slice(2), 16)) ?? all;
    if (e.startsWith('#')) return safeChar(Number.parseInt(e.slice(1), 10)) ?? all;
    return ENTITIES[e] ?? all;
  });
}

function safeChar(code: number): string | undefined {
  if (!Number.isFinite(code) || code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
    return undefined;
  return String.fromCodePoint(code);
}

/** WordprocessingML: paragraphs `w:p`, runs of text `w:t`, tabs and breaks. */
export function docxText(bytes: Uint8Array): string {
  const xml = zipPart(bytes, 'word/document.xml');
  return decodeXmlEntities(
    xml
      .replace(/<w:tab\/>/g, '\t')
      .replace(/<w:(br|cr)\b[^>]*\/>/g, '\n')
      .replace(/<\/w:p>/g, '\n')
      .replace(/<w:instrText\b[^>]*>[\s\S]*?<\/w:instrText>/g, '')
      .replace(/<[^>]+>/g, ''),
  );
}

/** OpenDocument text: paragraphs and headings, tabs, line breaks and `text:s` spaces. */
export function odtText(bytes: Uint8Array): string {
  const xml = zipPart(bytes, 'content.xml');
  const body = xml.replace(/^[\s\S]*?<office:body>/, '');
  return decodeXmlEntities(
    body
      .replace(/<text:tab\/>/g, '\t')
      .replace(/<text:line-break\/>/g, '\n')
      .replace(/<text:s(?: text:c="(\d+)")?\/>/g, (_all, n?: string) =>
        ' '.repeat(Math.min(Number(n ?? 1), 50)),
      )
      .replace(/<\/text:(p|h)>/g, '\n')
      .replace(/<[^>]+>/g, ''),
  );
}

const CP1252 = new TextDecoder('windows-1252');

/** Groups whose content is not text (fonts, colours, styles, pictures, metadata, `\*` destinations). */
const SKIPPED_DESTINATIONS = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'object',
  'header',
  'footer',
  'headerl',
  'headerr',
  'footerl',
  'footerr',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'generator',
  'themedata',
  'colorschememapping',
  'latentstyles',
  'datastore',
  'xmlnstbl',
  'mmathPr',
]);

/**
 * RTF: control words dropped (`\par`, `\line` become line breaks, `\tab` a tab), `\'hh` read as
 * Windows-1252, `\uN` as Unicode (its replacement character skipped), non-text groups skipped.
 */
export function rtfText(bytes: Uint8Array): string {
  const src = CP1252.decode(bytes);
  const out: string[] = [];
  // Per group: whether its text is skipped, and how many characters follow a \uN.
  const stack: { skip: boolean; uc: number }[] = [];
  let skip = false;
  let uc = 1;
  let pendingSkip = 0;
  let i = 0;
  const emit = (s: string) => {
    if (pendingSkip > 0) {
      pendingSkip--;
      return;
    }
    if (!skip) out.push(s);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '{') {
      stack.push({ skip, uc });
      i++;
      if (src.startsWith('\\*', i)) skip = true;
      continue;
    }
    if (c === '}') {
      const top = stack.pop();
      if (top) {
        skip = top.skip;
        uc = top.uc;
      }
      i++;
      continue;
    }
    if (c === '\\') {
      const next = src[i + 1];
      if (next === undefined) break;
      if (next === "'") {
        const hex = src.slice(i + 2, i + 4);
        const code = Number.parseInt(hex, 16);
        if (Number.isFinite(code)) emit(CP1252.decode(new Uint8Array([code])));
        i += 4;
        continue;
      }
      if (next === '\\' || next === '{' || next === '}') {
        emit(next);
        i += 2;
        continue;
      }
      if (next === '~') {
        emit(' ');
        i += 2;
        continue;
      }
      if (next === '\n' || next === '\r') {
        emit('\n');
        i += 2;
        continue;
      }
      const m = /^([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(src.slice(i + 1, i + 45));
      if (!m) {
        i += 2; // \-, \_, \* and other control symbols
        continue;
      }
      i += 1 + m[0].length;
      const word = m[1]!;
      const arg = m[2] !== undefined ? Number(m[2]) : null;
      if (SKIPPED_DESTINATIONS.has(word)) skip = true;
      else if (word === 'par' || word === 'line' || word === 'sect' || word === 'page' || word === 'row')
        emit('\n');
      else if (word === 'tab' || word === 'cell') emit('\t');
      else if (word === 'uc' && arg !== null) uc = Math.max(0, Math.min(arg, 4));
      else if (word === 'u' && arg !== null) {
        const ch = safeChar(arg < 0 ? arg + 65536 : arg);
        if (ch) emit(ch);
        pendingSkip = uc;
      } else if (word === 'emdash') emit('—');
      else if (word === 'endash') emit('–');
      else if (word === 'lquote') emit('‘');
      else if (word === 'rquote') emit('’');
      else if (word === 'ldblquote') emit('“');
      else if (word === 'rdblquote') emit('”');
      else if (word === 'bullet') emit('•');
      continue;
    }
    if (c === '\n' || c === '\r') {
      i++;
      continue;
    }
    emit(c);
    i++;
  }
  return out.join('');
}

/** Text files: UTF-8 when they decode as such, otherwise Windows-1252 (older Windows editors). */
export function plainText(bytes: Uint8Array): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return CP1252.decode(body);
  }
}
