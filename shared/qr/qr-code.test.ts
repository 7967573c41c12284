import { describe, expect, it } from 'vitest';
import {
  byteCapacity,
  encodeQr,
  formatBits,
  MASKS,
  penalty,
  QrTooLongError,
  reedSolomon,
  toSvg,
  versionBits,
} from './qr-code';

// ---------------------------------------------------------------------------------------------
// An independent minimal decoder, written from the standard's tables (not from the encoder's):
// reads the format information, finds the function patterns, unmasks, reads the codewords in
// the zigzag order, de-interleaves the blocks, checks every block's Reed–Solomon syndromes and
// parses the byte-mode segment.

/** ISO 18004 table 9, level M: [blocks, total codewords per block, data codewords per block]. */
const BLOCKS_M: Record<number, Array<[number, number, number]>> = {
  1: [[1, 26, 16]],
  2: [[1, 44, 28]],
  3: [[1, 70, 44]],
  4: [[2, 50, 32]],
  5: [[2, 67, 43]],
  6: [[4, 43, 27]],
  7: [[4, 49, 31]],
  8: [
    [2, 60, 38],
    [2, 61, 39],
  ],
  9: [
    [3, 58, 36],
    [2, 59, 37],
  ],
  10: [
    [4, 69, 43],
    [1, 70, 44],
  ],
};
/** ISO 18004 annex E. */
const ALIGN: Record<number, number[]> = {
  1: [],
  2: [6, 18],
  3: [6, 22],
  4: [6, 26],
  5: [6, 30],
  6: [6, 34],
  7: [6, 22, 38],
  8: [6, 24, 42],
  9: [6, 26, 46],
  10: [6, 28, 50],
};
/** ISO 18004 annex C, level M (bits 14..0 as written in the table). */
const FORMAT_M = [
  '101010000010010',
  '101000100100101',
  '101111001111100',
  '101101101001011',
  '100010111111001',
  '100000011001110',
  '100111110010111',
  '100101010100000',
];
/** ISO 18004 annex D. */
const VERSION_INFO: Record<number, string> = {
  7: '000111110010010100',
  8: '001000010110111100',
  9: '001001101010011001',
  10: '001010010011010011',
};

/** GF(256) with the polynomial x⁸+x⁴+x³+x²+1, by shift-and-add (no tables). */
function mul(a: number, b: number): number {
  let r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a <<= 1;
    if (a & 0x100) a ^= 0x11d;
    b >>= 1;
  }
  return r;
}
function pow2(i: number): number {
  let r = 1;
  for (let k = 0; k < i; k++) r = mul(r, 2);
  return r;
}

function isFunctionModule(version: number, r: number, c: number): boolean {
  const size = version * 4 + 17;
  if (r < 9 && c < 9) return true; // top-left finder, separator, format
  if (r < 9 && c >= size - 8) return true; // top-right
  if (r >= size - 8 && c < 9) return true; // bottom-left (and the dark module)
  if (r === 6 || c === 6) return true; // timing
  if (
    version >= 7 &&
    ((r < 6 && c >= size - 11 && c < size - 8) || (c < 6 && r >= size - 11 && r < size - 8))
  )
    return true;
  const a = ALIGN[version]!;
  for (const ar of a)
    for (const ac of a) {
      const overlapsFinder = (ar < 9 && ac < 9) || (ar < 9 && ac > size - 9) || (ar > size - 9 && ac < 9);
      if (!overlapsFinder && Math.abs(r - ar) <= 2 && Math.abs(c - ac) <= 2) return true;
    }
  return false;
}

interface Decoded {
  text: string;
  version: number;
  mask: number;
  formatCopiesAgree: boolean;
}

function decode(m: boolean[][]): Decoded {
  const size = m.length;
  const version = (size - 17) / 4;
  if (!Number.isInteger(version) || version < 1 || version > 10) throw new Error('taille invalide');
  const bit = (r: number, c: number) => (m[r]![c] ? '1' : '0');
  // Format, first copy: bits 14..9 along row 8 (columns 0..5), 8 at (8,7), 7 at (8,8), 6 at (7,8),
  // 5..0 up column 8 (rows 5..0).
  let first = '';
  for (let c = 0; c <= 5; c++) first += bit(8, c);
  first += bit(8, 7) + bit(8, 8) + bit(7, 8);
  for (let r = 5; r >= 0; r--) first += bit(r, 8);
  // Second copy: bits 14..8 up... column 8 from the bottom (rows size-1..size-7), 7..0 along row 8.
  let second = '';
  for (let r = size - 1; r >= size - 7; r--) second += bit(r, 8);
  for (let c = size - 8; c < size; c++) second += bit(8, c);
  const mask = FORMAT_M.indexOf(first);
  if (mask < 0) throw new Error(`format inconnu ${first}`);
  if (!m[size - 8]![8]) throw new Error('module sombre absent');
  if (version >= 7) {
    // Version information, top-right block: bit i at row floor(i/3), column size-11+i%3.
    let v = '';
    let w = '';
    for (let i = 17; i >= 0; i--) {
      v += bit(Math.floor(i / 3), size - 11 + (i % 3));
      w += bit(size - 11 + (i % 3), Math.floor(i / 3));
    }
    if (v !== VERSION_INFO[version] || w !== VERSION_INFO[version]) throw new Error(`version ${v}`);
  }
  // Read the data modules in zigzag order, unmasked.
  const cond = [
    (i: number, j: number) => (i + j) % 2 === 0,
    (i: number) => i % 2 === 0,
    (_i: number, j: number) => j % 3 === 0,
    (i: number, j: number) => (i + j) % 3 === 0,
    (i: number, j: number) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
    (i: number, j: number) => ((i * j) % 2) + ((i * j) % 3) === 0,
    (i: number, j: number) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
    (i: number, j: number) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
  ][mask]!;
  const bits: number[] = [];
  let upward = true;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col--;
    for (let k = 0; k < size; k++) {
      const r = upward ? size - 1 - k : k;
      for (const c of [col, col - 1])
        if (!isFunctionModule(version, r, c)) bits.push((m[r]![c] ? 1 : 0) ^ (cond(r, c) ? 1 : 0));
    }
    upward = !upward;
  }
  const codewords: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8)
    codewords.push(Number.parseInt(bits.slice(i, i + 8).join(''), 2));
  // De-interleave.
  const layout = BLOCKS_M[version]!.flatMap(([n, total, data]) =>
    Array.from({ length: n }, () => ({ total, data })),
  );
  const blocks = layout.map(() => [] as number[]);
  let k = 0;
  const maxData = Math.max(...layout.map((b) => b.data));
  for (let i = 0; i < maxData; i++)
    for (let j = 0; j < layout.length; j++) if (i < layout[j]!.data) blocks[j]!.push(codewords[k++]!);
  const ecLen = layout[0]!.total - layout[0]!.data;
  for (let i = 0; i < ecLen; i++) for (const block of blocks) block.push(codewords[k++]!);
  // Syndromes: the block polynomial evaluated at α^0..α^(ecLen−1) is zero for a valid block.
  blocks.forEach((block, j) => {
    for (let s = 0; s < ecLen; s++) {
      const x = pow2(s);
      let acc = 0;
      for (const cw of block) acc = mul(acc, x) ^ cw;
      if (acc !== 0) throw new Error(`bloc ${j} : syndrome ${s} non nul`);
    }
  });
  const data = layout.flatMap((b, j) => blocks[j]!.slice(0, b.data));
  const stream = data.map((b) => b.toString(2).padStart(8, '0')).join('');
  if (stream.slice(0, 4) !== '0100') throw new Error(`mode ${stream.slice(0, 4)}`);
  const countBits = version < 10 ? 8 : 16;
  const count = Number.parseInt(stream.slice(4, 4 + countBits), 2);
  const bytes = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const at = 4 + countBits + i * 8;
    bytes[i] = Number.parseInt(stream.slice(at, at + 8), 2);
  }
  return {
    text: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
    version,
    mask,
    formatCopiesAgree: first === second,
  };
}

// ---------------------------------------------------------------------------------------------

describe('Reed–Solomon', () => {
  it('gives the error correction codewords of the standard’s example (1-M « 01234567 », annex I)', () => {
    const data = [
      0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11,
    ];
    expect(reedSolomon(data, 10)).toEqual([0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55]);
  });
  it('gives those of the « HELLO WORLD » 1-M example', () => {
    const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
    expect(reedSolomon(data, 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });
});

describe('format and version information', () => {
  it('matches the table of annex C for level M, masks 0 to 7', () => {
    for (let mask = 0; mask < 8; mask++)
      expect(formatBits(mask).toString(2).padStart(15, '0')).toBe(FORMAT_M[mask]);
  });
  it('matches the table of annex D for versions 7 to 10', () => {
    for (const v of [7, 8, 9, 10]) expect(versionBits(v).toString(2).padStart(18, '0')).toBe(VERSION_INFO[v]);
  });
});

describe('encodeQr', () => {
  it('encodes « HELLO WORLD » in version 1 (21×21) with finders and timing in place', () => {
    const m = encodeQr('HELLO WORLD');
    expect(m.length).toBe(21);
    for (const row of m) expect(row.length).toBe(21);
    const finderRow = [true, true, true, true, true, true, true, false];
    expect(m[0]!.slice(0, 8)).toEqual(finderRow);
    expect(m[0]!.slice(13)).toEqual([false, ...finderRow.slice(0, 7)]);
    expect(m[2]!.slice(0, 7)).toEqual([true, false, true, true, true, false, true]);
    expect(m[6]!.slice(8, 13)).toEqual([true, false, true, false, true]); // timing
    expect(m.slice(8, 13).map((r) => r[6])).toEqual([true, false, true, false, true]);
    expect(decode(m).text).toBe('HELLO WORLD');
  });

  it('round-trips through the independent decoder for every length and a URL with accents', () => {
    const samples = [
      '',
      'a',
      'https://emploi.example.fr/agenda?evenement=3f2b1c9e-8a4d-4f7e-9b21-0c5d6e7f8a9b',
      'Salon de l’emploi à Évry — inscription ✓',
    ];
    for (let v = 1; v <= 10; v++) {
      const cap = byteCapacity(v);
      samples.push('x'.repeat(cap), 'y'.repeat(cap + (v < 10 ? 1 : 0)));
    }
    for (const text of samples) {
      const m = encodeQr(text);
      const d = decode(m);
      expect(d.text).toBe(text);
      expect(d.formatCopiesAgree).toBe(true);
      expect(m.length).toBe(d.version * 4 + 17);
    }
  });

  it('uses the smallest version: 14 bytes in version 1, 15 in version 2, 213 in version 10', () => {
    expect(encodeQr('x'.repeat(14)).length).toBe(21);
    expect(encodeQr('x'.repeat(15)).length).toBe(25);
    expect(encodeQr('x'.repeat(213)).length).toBe(57);
    expect(() => encodeQr('x'.repeat(214))).toThrow(QrTooLongError);
    expect(encodeQr('é'.repeat(106)).length).toBe(57); // 212 UTF-8 bytes
    expect(() => encodeQr('é'.repeat(107))).toThrow(QrTooLongError); // 214
  });

  it('decodes with each of the eight masks forced', () => {
    for (let mask = 0; mask < 8; mask++) {
      const d = decode(encodeQr('https://exemple.fr/agenda?evenement=42', { mask }));
      expect(d.mask).toBe(mask);
      expect(d.text).toBe('https://exemple.fr/agenda?evenement=42');
    }
  });

  it('chooses the mask of least penalty', () => {
    const text = 'https://exemple.fr/agenda?evenement=abc';
    const chosen = decode(encodeQr(text)).mask;
    const penalties = Array.from({ length: 8 }, (_, mask) => penalty(encodeQr(text, { mask })));
    expect(penalties[chosen]).toBe(Math.min(...penalties));
    expect(MASKS.length).toBe(8);
  });

  it('is caught by the decoder when one data module is flipped (the test can fail)', () => {
    const m = encodeQr('HELLO WORLD', { mask: 2 });
    m[20]![20] = !m[20]![20];
    expect(() => decode(m)).toThrow(/syndrome/);
  });
});

describe('penalty', () => {
  it('scores runs, blocks, finder-like patterns and balance', () => {
    // 5×5 all light: runs 10 × (3 + 0) = 30, blocks 16 × 3 = 48, balance k = 9 → 90.
    const light = Array.from({ length: 5 }, () => new Array<boolean>(5).fill(false));
    expect(penalty(light)).toBe(30 + 48 + 90);
  });
});

describe('toSvg', () => {
  it('draws one path with a quiet zone, an accessible title, escaped', () => {
    const m = [
      [true, false],
      [true, true],
    ];
    const svg = toSvg(m, { quietZone: 4, title: 'QR <stand>' });
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 10 10"[^>]*role="img"/);
    expect(svg).toContain('<title>QR &lt;stand&gt;</title>');
    expect(svg).toContain('<path fill="#000" d="M4 4h1v1h-1zM4 5h2v1h-2z"/>');
    expect(svg.endsWith('</svg>')).toBe(true);
  });
});
