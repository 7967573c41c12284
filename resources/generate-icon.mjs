#!/usr/bin/env node
// Writes resources/icon.png (512×512 RGBA): a blue rounded square with a white briefcase.
// No image library: pixels are computed from signed distances and encoded with zlib.
// Usage: node resources/generate-icon.mjs [output.png]
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const output = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'icon.png');

/** Signed distance to a rounded rectangle centred on (cx, cy). Negative inside. */
function roundedRect(x, y, cx, cy, halfWidth, halfHeight, radius) {
  const qx = Math.abs(x - cx) - halfWidth + radius;
  const qy = Math.abs(y - cy) - halfHeight + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Coverage (0..1) from a signed distance, one pixel of anti-aliasing. */
const coverage = (distance) => Math.min(1, Math.max(0, 0.5 - distance));

function pixel(x, y) {
  const background = coverage(roundedRect(x, y, 256, 256, 240, 240, 96));
  if (background === 0) return [0, 0, 0, 0];
  // Vertical gradient from deep blue to a brighter blue.
  const t = y / SIZE;
  let r = 30 + (37 - 30) * t;
  let g = 58 + (99 - 58) * t;
  let b = 138 + (235 - 138) * t;
  // Briefcase: body, handle (ring minus inside), and a darker clasp band.
  const body = roundedRect(x, y, 256, 296, 150, 104, 28);
  const handleOuter = roundedRect(x, y, 256, 178, 64, 40, 22);
  const handleInner = roundedRect(x, y, 256, 186, 38, 26, 10);
  const handle = Math.max(handleOuter, -handleInner, y - 200);
  const white = coverage(Math.min(body, handle));
  r += (255 - r) * white;
  g += (255 - g) * white;
  b += (255 - b) * white;
  const band = coverage(Math.max(body, Math.abs(y - 290) - 10)) * 0.35;
  const clasp = coverage(roundedRect(x, y, 256, 290, 26, 22, 6));
  const dark = Math.max(band, clasp);
  r += (30 - r) * dark;
  g += (58 - g) * dark;
  b += (138 - b) * dark;
  return [Math.round(r), Math.round(g), Math.round(b), Math.round(255 * background)];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y += 1) {
  const row = y * (SIZE * 4 + 1);
  raw[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x += 1) {
    const [r, g, b, a] = pixel(x + 0.5, y + 0.5);
    raw.set([r, g, b, a], row + 1 + x * 4);
  }
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // colour type: RGBA
header[10] = 0; // compression
header[11] = 0; // filter
header[12] = 0; // no interlace

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(output, png);
console.log(`${output} (${SIZE}×${SIZE}, ${png.length} octets)`);
