/**
 * Content-addressed files (DESIGN §4, "Files"): the types we accept, judged by their content and never
 * by their name, and the limits of each use. The server and the workstation run the same checks, so a
 * file the workstation accepts offline is accepted by the server later.
 */

/** One mebibyte: what file browsers show as "1 Mo". */
export const MEGABYTE = 1024 * 1024;

/** A SHA-256 in lowercase hexadecimal: the name of every stored file. */
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && SHA256_PATTERN.test(value);
}

export interface FileTypeInfo {
  mime: string;
  label: string;
  extension: string;
  /** Shown in the page (`inline`) rather than downloaded. */
  image: boolean;
}

/** The types recognised by their content. Add a type here and a detector in `DETECTORS`. */
export const FILE_TYPES = {
  jpg: { mime: 'image/jpeg', label: 'JPG', extension: 'jpg', image: true },
  png: { mime: 'image/png', label: 'PNG', extension: 'png', image: true },
  pdf: { mime: 'application/pdf', label: 'PDF', extension: 'pdf', image: false },
  doc: { mime: 'application/msword', label: 'DOC (Word 97-2003)', extension: 'doc', image: false },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'DOCX (Word)',
    extension: 'docx',
    image: false,
  },
  odt: {
    mime: 'application/vnd.oasis.opendocument.text',
    label: 'ODT (OpenDocument)',
    extension: 'odt',
    image: false,
  },
  rtf: { mime: 'application/rtf', label: 'RTF', extension: 'rtf', image: false },
  txt: { mime: 'text/plain', label: 'TXT (texte)', extension: 'txt', image: false },
} as const satisfies Record<string, FileTypeInfo>;

export type FileType = keyof typeof FILE_TYPES;

export function fileTypeOfMime(mime: string): FileType | null {
  for (const [type, info] of Object.entries(FILE_TYPES)) if (info.mime === mime) return type as FileType;
  return null;
}

/** Whether a stored type is an image (shown inline, and the only kind a public page may show). */
export function isImageMime(mime: string): boolean {
  const type = fileTypeOfMime(mime);
  return type !== null && FILE_TYPES[type].image;
}

export interface FilePurposeRule {
  label: string;
  types: readonly FileType[];
  maxBytes: number;
  /** The rule as the forms state it. */
  rule: string;
  /** Answer to a file whose content is not one of `types`. */
  refusedTypeMessage: string;
  /** `accept` attribute of the file input (a hint for the picker only: the content is checked). */
  accept: string;
}

const IMAGE_REFUSED =
  'Format refusé : seules les images JPG ou PNG sont acceptées (le contenu du fichier a été vérifié, pas son nom).';
const CV_REFUSED =
  'Format refusé : seuls les documents PDF, DOC, DOCX, ODT, RTF ou TXT sont acceptés (le contenu du fichier a été vérifié, pas son nom).';
const DOCUMENT_REFUSED =
  'Format refusé : seuls les documents PDF sont acceptés (le contenu du fichier a été vérifié, pas son nom).';

/** What each use of a file accepts (seed 001: "L'image ne doit pas excéder 1 Mo et doit être au format jpg ou png"). */
export const FILE_PURPOSES = {
  logo: {
    label: 'Logo',
    types: ['jpg', 'png'],
    maxBytes: 1 * MEGABYTE,
    rule: 'L’image ne doit pas excéder 1 Mo et doit être au format jpg ou png.',
    refusedTypeMessage: IMAGE_REFUSED,
    accept: 'image/png,image/jpeg',
  },
  banner: {
    label: 'Bannière',
    types: ['jpg', 'png'],
    maxBytes: 1 * MEGABYTE,
    rule: 'L’image ne doit pas excéder 1 Mo et doit être au format jpg ou png.',
    refusedTypeMessage: IMAGE_REFUSED,
    accept: 'image/png,image/jpeg',
  },
  photo: {
    label: 'Photo',
    types: ['jpg', 'png'],
    maxBytes: 2 * MEGABYTE,
    rule: 'L’image ne doit pas excéder 2 Mo et doit être au format jpg ou png.',
    refusedTypeMessage: IMAGE_REFUSED,
    accept: 'image/png,image/jpeg',
  },
  /** The candidate's personal CV (seed 002: « format .doc, docx, txt, odt, pdf ou rtf »). */
  cv: {
    label: 'CV',
    types: ['pdf', 'doc', 'docx', 'odt', 'rtf', 'txt'],
    maxBytes: 5 * MEGABYTE,
    rule: 'Le document ne doit pas excéder 5 Mo et doit être au format PDF, DOC, DOCX, ODT, RTF ou TXT.',
    refusedTypeMessage: CV_REFUSED,
    accept:
      '.pdf,.doc,.docx,.odt,.rtf,.txt,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text,application/rtf,text/rtf,text/plain',
  },
  /** A CV collected at a fair (issue 6): a PDF, or a photo of the paper CV taken on the spot. */
  capture: {
    label: 'CV (salon)',
    types: ['pdf', 'jpg', 'png'],
    maxBytes: 8 * MEGABYTE,
    rule: 'Le CV ne doit pas excéder 8 Mo et doit être un PDF ou une photo JPG ou PNG.',
    refusedTypeMessage:
      'Format refusé : seuls un PDF ou une photo JPG ou PNG sont acceptés (le contenu du fichier a été vérifié, pas son nom).',
    accept: 'application/pdf,image/jpeg,image/png',
  },
  letter: {
    label: 'Lettre de motivation',
    types: ['pdf'],
    maxBytes: 5 * MEGABYTE,
    rule: 'Le document ne doit pas excéder 5 Mo et doit être au format PDF.',
    refusedTypeMessage: DOCUMENT_REFUSED,
    accept: 'application/pdf',
  },
  /** A message's attachment (issue 7): the documents a CV may be, and photos; 5 Mo. */
  message: {
    label: 'Pièce jointe',
    types: ['pdf', 'doc', 'docx', 'odt', 'rtf', 'txt', 'jpg', 'png'],
    maxBytes: 5 * MEGABYTE,
    rule: 'Le fichier ne doit pas excéder 5 Mo et doit être au format PDF, DOC, DOCX, ODT, RTF, TXT, JPG ou PNG.',
    refusedTypeMessage:
      'Format refusé : seuls les documents PDF, DOC, DOCX, ODT, RTF ou TXT et les images JPG ou PNG sont acceptés (le contenu du fichier a été vérifié, pas son nom).',
    accept:
      '.pdf,.doc,.docx,.odt,.rtf,.txt,.jpg,.jpeg,.png,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text,application/rtf,text/rtf,text/plain,image/jpeg,image/png',
  },
} as const satisfies Record<string, FilePurposeRule>;

export type FilePurpose = keyof typeof FILE_PURPOSES;
export const FILE_PURPOSE_NAMES = Object.keys(FILE_PURPOSES) as FilePurpose[];

export function isFilePurpose(value: unknown): value is FilePurpose {
  return typeof value === 'string' && Object.hasOwn(FILE_PURPOSES, value);
}

export function filePurposeRule(purpose: FilePurpose): FilePurposeRule {
  return FILE_PURPOSES[purpose];
}

/** The largest file any use accepts. */
export const MAX_FILE_BYTES = Math.max(...Object.values(FILE_PURPOSES).map((p) => p.maxBytes));

/** "1 Mo", "2 Mo", "1,5 Mo". */
export function formatMegabytes(bytes: number): string {
  const mb = Math.round((bytes / MEGABYTE) * 10) / 10;
  return `${String(mb).replace('.', ',')} Mo`;
}

export function tooLargeMessage(purpose: FilePurpose): string {
  return `Le fichier dépasse ${formatMegabytes(FILE_PURPOSES[purpose].maxBytes)}.`;
}

export const EMPTY_FILE_MESSAGE = 'Le fichier est vide.';
export const HASH_MISMATCH_MESSAGE =
  'Le fichier reçu ne correspond pas à son empreinte SHA-256 : il a pu être altéré pendant l’envoi. Réessayez.';
export const INVALID_HASH_MESSAGE = 'Empreinte de fichier invalide : 64 caractères hexadécimaux attendus.';
export const UNKNOWN_PURPOSE_MESSAGE = `Usage du fichier inconnu : indiquez ${FILE_PURPOSE_NAMES.join(', ')}.`;

export function damagedFileMessage(type: FileType): string {
  return `Le fichier ${FILE_TYPES[type].label} est incomplet ou endommagé : enregistrez-le à nouveau puis réessayez.`;
}

// ---------------------------------------------------------------------------------------------
// Detection by content

export type Detection =
  | { ok: true; type: FileType }
  /** `claimed`: the type its first bytes announce, when its structure then proved broken. */
  | { ok: false; reason: 'empty' | 'unknown' }
  | { ok: false; reason: 'damaged'; claimed: FileType };

type Verdict = 'valid' | 'damaged' | 'no';
type Detector = (bytes: Uint8Array) => Verdict;

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO 3309, as PNG uses it). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * JPEG: SOI (FF D8 FF), then marker segments whose lengths fit in the file, a frame header (SOF)
 * before the first scan (SOS), and the end-of-image marker (FF D9) after it.
 */
const detectJpeg: Detector = (bytes) => {
  if (!startsWith(bytes, [0xff, 0xd8, 0xff])) return 'no';
  let at = 2;
  let frame = false;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) return 'damaged';
    while (at < bytes.length && bytes[at] === 0xff) at++; // fill bytes
    if (at >= bytes.length) return 'damaged';
    const marker = bytes[at]!;
    at++;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd8 || marker === 0xd9 || marker === 0x00) return 'damaged';
    if (at + 2 > bytes.length) return 'damaged';
    const length = u16(bytes, at);
    if (length < 2 || at + length > bytes.length) return 'damaged';
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) frame = true;
    at += length;
    if (marker === 0xda) {
      if (!frame) return 'damaged';
      // Entropy-coded data never holds FF D9 (an FF there is followed by 00 or a restart marker).
      for (let i = at; i + 1 < bytes.length; i++)
        if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return 'valid';
      return 'damaged';
    }
  }
  return 'damaged';
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const IHDR = ascii('IHDR');
const IDAT = ascii('IDAT');
const IEND = ascii('IEND');
/** Allowed bit depths per colour type (PNG spec, table 11.1). */
const PNG_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/**
 * PNG: the 8-byte signature, a well-formed IHDR chunk first (length 13, sane dimensions and
 * bit depth, correct CRC), chunks that fit in the file, at least one IDAT, and IEND.
 */
const detectPng: Detector = (bytes) => {
  if (!startsWith(bytes, PNG_SIGNATURE)) return 'no';
  const at = 8;
  if (bytes.length < at + 25) return 'damaged';
  if (u32(bytes, at) !== 13 || !startsWith(bytes, IHDR, at + 4)) return 'damaged';
  const width = u32(bytes, at + 8);
  const height = u32(bytes, at + 12);
  const depth = bytes[at + 16]!;
  const colour = bytes[at + 17]!;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return 'damaged';
  if (!PNG_DEPTHS[colour]?.includes(depth)) return 'damaged';
  if (bytes[at + 18] !== 0 || bytes[at + 19] !== 0 || bytes[at + 20]! > 1) return 'damaged';
  if (crc32(bytes, at + 4, at + 21) !== u32(bytes, at + 21)) return 'damaged';
  let pos = at + 25;
  let data = false;
  while (pos + 12 <= bytes.length) {
    const length = u32(bytes, pos);
    if (length > 0x7fffffff || pos + 12 + length > bytes.length) return 'damaged';
    for (let i = pos + 4; i < pos + 8; i++) {
      const c = bytes[i]!;
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return 'damaged';
    }
    if (startsWith(bytes, IDAT, pos + 4)) data = true;
    if (startsWith(bytes, IEND, pos + 4)) return data && length === 0 ? 'valid' : 'damaged';
    pos += 12 + length;
  }
  return 'damaged';
};

const PDF_HEADER = ascii('%PDF-');
const PDF_EOF = ascii('%%EOF');

/** PDF: "%PDF-x.y" at the start and "%%EOF" in the last kilobyte. */
const detectPdf: Detector = (bytes) => {
  if (!startsWith(bytes, PDF_HEADER)) return 'no';
  const digit = (i: number) => bytes[i]! >= 0x30 && bytes[i]! <= 0x39;
  if (bytes.length < 8 || !digit(5) || bytes[6] !== 0x2e || !digit(7)) return 'damaged';
  for (let i = bytes.length - PDF_EOF.length; i >= Math.max(8, bytes.length - 1024); i--) {
    if (startsWith(bytes, PDF_EOF, i)) return 'valid';
  }
  return 'damaged';
};

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;
/** "WordDocument" in UTF-16LE, the name of the main stream of a Word 97-2003 file. */
const WORD_STREAM = [...'WordDocument'].flatMap((c) => [c.charCodeAt(0), 0]);

function indexOf(bytes: Uint8Array, needle: readonly number[], from = 0, to = bytes.length): number {
  const last = Math.min(to, bytes.length) - needle.length;
  outer: for (let i = from; i <= last; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * DOC (Word 97-2003): an OLE2 compound file (signature, 512-byte sectors, byte order FE FF) whose
 * directory names a "WordDocument" stream. Other compound files (Excel, old installers) are not
 * documents we accept.
 */
const detectDoc: Detector = (bytes) => {
  if (!startsWith(bytes, OLE_SIGNATURE)) return 'no';
  if (bytes.length < 1024 || bytes[28] !== 0xfe || bytes[29] !== 0xff) return 'damaged';
  return indexOf(bytes, WORD_STREAM, 512) >= 0 ? 'valid' : 'no';
};

const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04] as const;
const ZIP_END = [0x50, 0x4b, 0x05, 0x06] as const;
const ZIP_CENTRAL = [0x50, 0x4b, 0x01, 0x02] as const;

function le16(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}
function le32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** The entry names of a ZIP archive from its central directory; null when the archive is broken. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  if (!startsWith(bytes, ZIP_LOCAL)) return null;
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (startsWith(bytes, ZIP_END, i)) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = le16(bytes, end + 10);
  const size = le32(bytes, end + 12);
  let at = le32(bytes, end + 16);
  if (at + size > end) return null;
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || !startsWith(bytes, ZIP_CENTRAL, at)) return null;
    const nameLength = le16(bytes, at + 28);
    const extra = le16(bytes, at + 30);
    const comment = le16(bytes, at + 32);
    if (at + 46 + nameLength > end) return null;
    let name = '';
    for (let i = at + 46; i < at + 46 + nameLength; i++) name += String.fromCharCode(bytes[i]!);
    names.push(name);
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

const ODT_MIMETYPE = ascii('application/vnd.oasis.opendocument.text');

/** DOCX: a ZIP archive (complete central directory) holding `[Content_Types].xml` and `word/document.xml`. */
const detectDocx: Detector = (bytes) => {
  if (!startsWith(bytes, ZIP_LOCAL)) return 'no';
  const names = zipEntryNames(bytes);
  if (!names) return 'no';
  return names.includes('[Content_Types].xml') && names.includes('word/document.xml') ? 'valid' : 'no';
};

/**
 * ODT: a ZIP archive whose first entry is `mimetype`, stored uncompressed, holding the OpenDocument
 * text type, with a `content.xml`.
 */
const detectOdt: Detector = (bytes) => {
  if (!startsWith(bytes, ZIP_LOCAL) || bytes.length < 30) return 'no';
  const nameLength = le16(bytes, 26);
  const extra = le16(bytes, 28);
  if (nameLength !== 8 || !startsWith(bytes, ascii('mimetype'), 30)) return 'no';
  if (!startsWith(bytes, ODT_MIMETYPE, 30 + nameLength + extra)) return 'no';
  const names = zipEntryNames(bytes);
  if (!names) return 'damaged';
  return names.includes('content.xml') ? 'valid' : 'damaged';
};

/** RTF: "{\rtf" at the start and a closing brace at the end (trailing whitespace and NULs allowed). */
const detectRtf: Detector = (bytes) => {
  if (!startsWith(bytes, ascii('{\\rtf'))) return 'no';
  let i = bytes.length - 1;
  while (
    i > 0 &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x00 || bytes[i] === 0x09)
  )
    i--;
  return bytes[i] === 0x7d ? 'valid' : 'damaged';
};

/**
 * One detector per type with a signature; each looks only at the content. Plain text has no
 * signature: `isPlainText` judges it, and only for the uses that accept `txt`.
 */
const DETECTORS: Record<Exclude<FileType, 'txt'>, Detector> = {
  jpg: detectJpeg,
  png: detectPng,
  pdf: detectPdf,
  doc: detectDoc,
  docx: detectDocx,
  odt: detectOdt,
  rtf: detectRtf,
};

/**
 * Plain text: UTF-8 (a BOM allowed) or Latin-1 / Windows-1252 text, without control characters
 * other than tab, line feeds and form feed (so no binary file passes); never markup (a file whose first
 * character is `<`, such as HTML or SVG, is not a text CV).
 */
export function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let start = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return false;
    if (b === 0x7f) return false;
  }
  while (start < bytes.length && (bytes[start] === 0x20 || bytes[start]! < 0x0e)) start++;
  if (bytes[start] === 0x3c) return false;
  return true;
}

/**
 * The type of a file from its bytes alone. Anything without a known signature (SVG, HTML, text,
 * executables...) is `unknown`; a known signature with a broken structure (a truncated download,
 * a header glued to something else) is `damaged`.
 */
export function detectFileType(bytes: Uint8Array): Detection {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  for (const [type, detect] of Object.entries(DETECTORS) as [Exclude<FileType, 'txt'>, Detector][]) {
    const verdict = detect(bytes);
    if (verdict === 'valid') return { ok: true, type };
    if (verdict === 'damaged') return { ok: false, reason: 'damaged', claimed: type };
  }
  return { ok: false, reason: 'unknown' };
}

export type FileCheckError = {
  ok: false;
  /** HTTP status the server answers with: 413 too large, 415 refused type, 400 empty. */
  status: 400 | 413 | 415;
  reason: 'empty' | 'too-large' | 'refused-type' | 'damaged';
  message: string;
};

export type FileCheck = { ok: true; type: FileType; mime: string; size: number } | FileCheckError;

/** Checks a size before reading anything (the workstation refuses a large file at once). */
export function checkFileSize(purpose: FilePurpose, size: number): FileCheckError | null {
  if (size <= 0) return { ok: false, status: 400, reason: 'empty', message: EMPTY_FILE_MESSAGE };
  if (size > FILE_PURPOSES[purpose].maxBytes)
    return { ok: false, status: 413, reason: 'too-large', message: tooLargeMessage(purpose) };
  return null;
}

/** Everything the server checks about a file's content for one use, in the order it checks it. */
export function checkFileContent(purpose: FilePurpose, bytes: Uint8Array): FileCheck {
  const sizeError = checkFileSize(purpose, bytes.length);
  if (sizeError) return sizeError;
  const rule: FilePurposeRule = FILE_PURPOSES[purpose];
  const detected = detectFileType(bytes);
  if (detected.ok) {
    if (!rule.types.includes(detected.type))
      return { ok: false, status: 415, reason: 'refused-type', message: rule.refusedTypeMessage };
    return { ok: true, type: detected.type, mime: FILE_TYPES[detected.type].mime, size: bytes.length };
  }
  if (detected.reason === 'damaged' && rule.types.includes(detected.claimed))
    return { ok: false, status: 415, reason: 'damaged', message: damagedFileMessage(detected.claimed) };
  if (detected.reason === 'unknown' && rule.types.includes('txt') && isPlainText(bytes))
    return { ok: true, type: 'txt', mime: FILE_TYPES.txt.mime, size: bytes.length };
  if (detected.reason === 'empty')
    return { ok: false, status: 400, reason: 'empty', message: EMPTY_FILE_MESSAGE };
  return { ok: false, status: 415, reason: 'refused-type', message: rule.refusedTypeMessage };
}
