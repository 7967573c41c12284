/**
 * A QR Code encoder (ISO/IEC 18004): byte mode (UTF-8), error correction level M, versions 1 to 10
 * (up to 213 bytes: a URL of about 200 characters), the mask chosen by the standard penalty rules.
 * `encodeQr(text)` returns the matrix of modules (`true` = dark, `matrix[row][column]`);
 * `toSvg(matrix, { quietZone })` draws it as one SVG path. Pure, no dependency (issue 6: the QR code
 * of a fair's stand opening the event's registration form on the portal).
 */

export type QrMatrix = boolean[][];

/** Per version (index 1..10), level M: total codewords, error correction codewords per block, blocks. */
const TOTAL_CODEWORDS = [0, 26, 44, 70, 100, 134, 172, 196, 242, 292, 346] as const;
const ECC_PER_BLOCK_M = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26] as const;
const BLOCKS_M = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5] as const;
/** Centres of the alignment patterns per version. */
const ALIGNMENT = [
  [],
  [],
  [6, 18],
  [6, 22],
  [6, 26],
  [6, 30],
  [6, 34],
  [6, 22, 38],
  [6, 24, 42],
  [6, 26, 46],
  [6, 28, 50],
] as const;

export const QR_MAX_VERSION = 10;
/** Level M's indicator in the format information (L 01, M 00, Q 11, H 10). */
const EC_LEVEL_M_BITS = 0b00;

/** Data codewords of a version at level M. */
export function dataCodewords(version: number): number {
  return TOTAL_CODEWORDS[version]! - ECC_PER_BLOCK_M[version]! * BLOCKS_M[version]!;
}

/** Bytes of a byte-mode payload that fit a version at level M (mode and count indicators deducted). */
export function byteCapacity(version: number): number {
  const countBits = version < 10 ? 8 : 16;
  return Math.floor((dataCodewords(version) * 8 - 4 - countBits) / 8);
}

// ---------------------------------------------------------------- Reed–Solomon over GF(256), 0x11D

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

export function gfMultiply(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[LOG[a]! + LOG[b]!]!;
}

/** α^i in GF(256). */
export function gfExp(i: number): number {
  return EXP[((i % 255) + 255) % 255]!;
}

/** The generator polynomial ∏(x − α^i), i < degree, highest coefficient (1) omitted. */
function generator(degree: number): number[] {
  const poly = [1];
  for (let i = 0; i < degree; i++) {
    // multiply by (x + α^i)
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let j = 0; j < poly.length; j++) {
      next[j] = next[j]! ^ poly[j]!;
      next[j + 1] = next[j + 1]! ^ gfMultiply(poly[j]!, EXP[i]!);
    }
    poly.splice(0, poly.length, ...next);
  }
  return poly.slice(1);
}

/** The `degree` error correction codewords of `data` (remainder of data·x^degree by the generator). */
export function reedSolomon(data: ArrayLike<number>, degree: number): number[] {
  const gen = generator(degree);
  const rem = new Array<number>(degree).fill(0);
  for (let i = 0; i < data.length; i++) {
    const factor = data[i]! ^ rem[0]!;
    rem.shift();
    rem.push(0);
    for (let j = 0; j < degree; j++) rem[j] = rem[j]! ^ gfMultiply(gen[j]!, factor);
  }
  return rem;
}

// ---------------------------------------------------------------- format and version information

/** The 15 format bits for level M and a mask (BCH(15,5), generator 0x537, XOR 0x5412). */
export function formatBits(mask: number, ecLevelBits = EC_LEVEL_M_BITS): number {
  const data = (ecLevelBits << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

/** The 18 version bits (versions 7 and above; BCH(18,6), generator 0x1F25). */
export function versionBits(version: number): number {
  let rem = version;
  for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
  return (version << 12) | rem;
}

// ---------------------------------------------------------------- data encoding

/** The data codewords of `bytes` in byte mode for a version, padded (0xEC, 0x11). */
export function encodeData(bytes: Uint8Array, version: number): number[] {
  const capacityBits = dataCodewords(version) * 8;
  const bits: number[] = [];
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, version < 10 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, capacityBits - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    let v = 0;
    for (let j = 0; j < 8; j++) v = (v << 1) | bits[i + j]!;
    out.push(v);
  }
  for (let pad = 0xec; out.length < capacityBits / 8; pad ^= 0xec ^ 0x11) out.push(pad);
  return out;
}

/** Splits the data in blocks, adds each block's error correction, interleaves (ISO 18004 §7.6). */
export function interleave(data: number[], version: number): number[] {
  const blocks = BLOCKS_M[version]!;
  const ecLen = ECC_PER_BLOCK_M[version]!;
  const total = TOTAL_CODEWORDS[version]!;
  const shortBlocks = blocks - (total % blocks);
  const shortLen = Math.floor(total / blocks) - ecLen;
  const dataBlocks: number[][] = [];
  const ecBlocks: number[][] = [];
  let k = 0;
  for (let i = 0; i < blocks; i++) {
    const len = shortLen + (i < shortBlocks ? 0 : 1);
    const block = data.slice(k, k + len);
    k += len;
    dataBlocks.push(block);
    ecBlocks.push(reedSolomon(block, ecLen));
  }
  const out: number[] = [];
  for (let i = 0; i <= shortLen; i++) for (const b of dataBlocks) if (i < b.length) out.push(b[i]!);
  for (let i = 0; i < ecLen; i++) for (const b of ecBlocks) out.push(b[i]!);
  return out;
}

// ---------------------------------------------------------------- matrix

/** The 8 mask conditions (row `r`, column `c`): a module is inverted when true. */
export const MASKS: ReadonlyArray<(r: number, c: number) => boolean> = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (_r, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

interface Grid {
  size: number;
  modules: boolean[][];
  isFunction: boolean[][];
}

function newGrid(version: number): Grid {
  const size = version * 4 + 17;
  const make = () => Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  return { size, modules: make(), isFunction: make() };
}

function setFunction(g: Grid, r: number, c: number, dark: boolean): void {
  g.modules[r]![c] = dark;
  g.isFunction[r]![c] = true;
}

function drawFinder(g: Grid, row: number, col: number): void {
  // 7×7 finder centred at (row+3, col+3) and its light separator.
  for (let dr = -1; dr <= 7; dr++)
    for (let dc = -1; dc <= 7; dc++) {
      const r = row + dr;
      const c = col + dc;
      if (r < 0 || c < 0 || r >= g.size || c >= g.size) continue;
      const d = Math.max(Math.abs(dr - 3), Math.abs(dc - 3));
      setFunction(g, r, c, d !== 2 && d !== 4);
    }
}

function drawFormat(g: Grid, mask: number): void {
  const bits = formatBits(mask);
  const bit = (i: number) => ((bits >>> i) & 1) === 1;
  // Around the top-left finder.
  for (let i = 0; i <= 5; i++) setFunction(g, i, 8, bit(i));
  setFunction(g, 7, 8, bit(6));
  setFunction(g, 8, 8, bit(7));
  setFunction(g, 8, 7, bit(8));
  for (let i = 9; i < 15; i++) setFunction(g, 8, 14 - i, bit(i));
  // The copy split between the top-right and bottom-left finders.
  for (let i = 0; i < 8; i++) setFunction(g, 8, g.size - 1 - i, bit(i));
  for (let i = 8; i < 15; i++) setFunction(g, g.size - 15 + i, 8, bit(i));
  setFunction(g, g.size - 8, 8, true); // the dark module
}

function drawFunctionPatterns(g: Grid, version: number): void {
  for (let i = 0; i < g.size; i++) {
    setFunction(g, 6, i, i % 2 === 0);
    setFunction(g, i, 6, i % 2 === 0);
  }
  drawFinder(g, 0, 0);
  drawFinder(g, 0, g.size - 7);
  drawFinder(g, g.size - 7, 0);
  const centres = ALIGNMENT[version]!;
  const last = centres.length - 1;
  for (let i = 0; i < centres.length; i++)
    for (let j = 0; j < centres.length; j++) {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
      for (let dr = -2; dr <= 2; dr++)
        for (let dc = -2; dc <= 2; dc++)
          setFunction(g, centres[i]! + dr, centres[j]! + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
    }
  drawFormat(g, 0); // reserves the area; redrawn with the chosen mask
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = g.size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      setFunction(g, b, a, dark); // top-right block
      setFunction(g, a, b, dark); // bottom-left block
    }
  }
}

/** The data modules' positions in placement order (two-column zigzag from the bottom right). */
export function dataPositions(isFunction: boolean[][]): Array<[number, number]> {
  const size = isFunction.length;
  const out: Array<[number, number]> = [];
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let v = 0; v < size; v++) {
      const r = upward ? size - 1 - v : v;
      for (let j = 0; j < 2; j++) {
        const c = right - j;
        if (!isFunction[r]![c]) out.push([r, c]);
      }
    }
  }
  return out;
}

function placeData(g: Grid, codewords: number[]): void {
  const positions = dataPositions(g.isFunction);
  for (let i = 0; i < positions.length; i++) {
    const [r, c] = positions[i]!;
    // Remainder bits (beyond the codewords) stay light.
    g.modules[r]![c] = i < codewords.length * 8 && ((codewords[i >>> 3]! >>> (7 - (i & 7))) & 1) === 1;
  }
}

function applyMask(g: Grid, mask: number): void {
  const cond = MASKS[mask]!;
  for (let r = 0; r < g.size; r++)
    for (let c = 0; c < g.size; c++)
      if (!g.isFunction[r]![c] && cond(r, c)) g.modules[r]![c] = !g.modules[r]![c];
}

/** The penalty of a matrix (ISO 18004 §7.8.3: runs N1 = 3, blocks N2 = 3, finder-like N3 = 40, balance N4 = 10). */
export function penalty(m: boolean[][]): number {
  const size = m.length;
  let score = 0;
  const at = (r: number, c: number, horizontal: boolean) => (horizontal ? m[r]![c]! : m[c]![r]!);
  for (const horizontal of [true, false]) {
    for (let r = 0; r < size; r++) {
      // Rule 1: five or more same-coloured modules in a row: 3 + (length − 5).
      let run = 1;
      for (let c = 1; c <= size; c++) {
        if (c < size && at(r, c, horizontal) === at(r, c - 1, horizontal)) run++;
        else {
          if (run >= 5) score += 3 + (run - 5);
          run = 1;
        }
      }
      // Rule 3: 1:1:3:1:1 dark-light-dark-dark-dark-light-dark with four light modules on one side
      // (outside the symbol counts as light: the quiet zone).
      const dark = (c: number) => c >= 0 && c < size && at(r, c, horizontal);
      for (let c = -4; c < size; c++) {
        if (
          !(
            dark(c) &&
            !dark(c + 1) &&
            dark(c + 2) &&
            dark(c + 3) &&
            dark(c + 4) &&
            !dark(c + 5) &&
            dark(c + 6)
          )
        )
          continue;
        const lightBefore = !dark(c - 1) && !dark(c - 2) && !dark(c - 3) && !dark(c - 4);
        const lightAfter = !dark(c + 7) && !dark(c + 8) && !dark(c + 9) && !dark(c + 10);
        if (lightBefore) score += 40;
        if (lightAfter) score += 40;
      }
    }
  }
  // Rule 2: each 2×2 block of one colour.
  for (let r = 0; r < size - 1; r++)
    for (let c = 0; c < size - 1; c++) {
      const v = m[r]![c];
      if (v === m[r]![c + 1] && v === m[r + 1]![c] && v === m[r + 1]![c + 1]) score += 3;
    }
  // Rule 4: 10 per 5 % of deviation of the dark proportion from 50 %.
  let darkCount = 0;
  for (const row of m) for (const v of row) if (v) darkCount++;
  const total = size * size;
  const k = Math.ceil(Math.abs(darkCount * 20 - total * 10) / total) - 1;
  score += Math.max(0, k) * 10;
  return score;
}

export class QrTooLongError extends Error {
  readonly bytes: number;
  constructor(bytes: number) {
    super(`Texte trop long pour un QR code (${bytes} octets, ${byteCapacity(QR_MAX_VERSION)} au plus).`);
    this.bytes = bytes;
  }
}

export interface QrOptions {
  /** Force a mask (0–7) instead of the one of least penalty (tests). */
  mask?: number;
  /** Smallest version to use (1–10). */
  minVersion?: number;
}

/** Encodes `text` (UTF-8, byte mode, level M) in the smallest version that holds it. */
export function encodeQr(text: string, options: QrOptions = {}): QrMatrix {
  const bytes = new TextEncoder().encode(text);
  let version = Math.max(1, Math.min(QR_MAX_VERSION, options.minVersion ?? 1));
  while (version <= QR_MAX_VERSION && bytes.length > byteCapacity(version)) version++;
  if (version > QR_MAX_VERSION) throw new QrTooLongError(bytes.length);
  const codewords = interleave(encodeData(bytes, version), version);
  const g = newGrid(version);
  drawFunctionPatterns(g, version);
  placeData(g, codewords);
  let mask = options.mask;
  if (mask === undefined) {
    let best = Number.POSITIVE_INFINITY;
    for (let candidate = 0; candidate < 8; candidate++) {
      applyMask(g, candidate);
      drawFormat(g, candidate);
      const p = penalty(g.modules);
      if (p < best) {
        best = p;
        mask = candidate;
      }
      applyMask(g, candidate); // undo (XOR)
    }
  }
  applyMask(g, mask!);
  drawFormat(g, mask!);
  return g.modules.map((row) => row.slice());
}

/** The version of a matrix (its size is 4·version + 17). */
export function versionOf(matrix: QrMatrix): number {
  return (matrix.length - 17) / 4;
}

export interface SvgOptions {
  /** Light modules around the symbol (the standard asks 4). */
  quietZone?: number;
  /** The accessible name (`<title>`). */
  title?: string;
  /** Rendered size in CSS pixels (width and height attributes); unset: scales with its container. */
  size?: number;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The matrix as an SVG string: one path of unit squares, black on white, crisp edges. */
export function toSvg(matrix: QrMatrix, options: SvgOptions = {}): string {
  const quiet = Math.max(0, Math.floor(options.quietZone ?? 4));
  const n = matrix.length + 2 * quiet;
  const parts: string[] = [];
  for (let r = 0; r < matrix.length; r++) {
    const row = matrix[r]!;
    let c = 0;
    while (c < row.length) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < row.length && row[c]) c++;
      parts.push(`M${start + quiet} ${r + quiet}h${c - start}v1h${start - c}z`);
    }
  }
  const title = escapeXml(options.title ?? 'QR code');
  const dims = options.size ? ` width="${options.size}" height="${options.size}"` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}"${dims} shape-rendering="crispEdges" role="img"><title>${title}</title><rect width="${n}" height="${n}" fill="#fff"/><path fill="#000" d="${parts.join('')}"/></svg>`;
}
