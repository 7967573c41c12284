import { deflateSync } from 'node:zlib';
import { crc32 } from '../../../shared/domain/files';

/**
 * Small real files built in code: test fixtures, and demo logos and banners. Every one is a
 * complete, decodable file of its type.
 */

/** An 8×8 baseline JPEG (blue square, yellow centre), encoded by Chromium's canvas. */
const SAMPLE_JPEG_BASE64 =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABh' +
  'Y3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' +
  'AAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAAB' +
  'UAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAA' +
  'AAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9Y' +
  'WVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAM' +
  'ZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQ' +
  'FxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgo' +
  'KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/' +
  'xAAdEAABAgcAAAAAAAAAAAAAAAAAERYmMlNmg5Lw/8QAFQEBAQAAAAAAAAAAAAAAAAAABQb/xAAhEQEAAAMJAQAAAAAAAAAAAAAB' +
  'ABESAgMEEyEiQVFhMf/aAAwDAQACEQMRAD8An4ZY1x5auknKACtw+HyK97aqV1ZynwdBwQFe3uZTtCQGh99fe2P/2Q==';

export function sampleJpeg(): Buffer<ArrayBuffer> {
  return Buffer.from(SAMPLE_JPEG_BASE64, 'base64');
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out, 4, 8 + data.length), 8 + data.length);
  return out;
}

export interface PngOptions {
  width?: number;
  height?: number;
  /** Fill colour, `[r, g, b]`. */
  rgb?: readonly [number, number, number];
  /** Pads the file with a text chunk to exactly this many bytes. */
  totalBytes?: number;
}

/** A truecolour PNG filled with one colour. */
export function makePng({
  width = 4,
  height = 4,
  rgb = [31, 78, 156],
  totalBytes,
}: PngOptions = {}): Buffer<ArrayBuffer> {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const parts = [signature, chunk('IHDR', ihdr), chunk('IDAT', pixels), chunk('IEND', new Uint8Array(0))];
  if (totalBytes !== undefined) {
    const size = parts.reduce((n, p) => n + p.length, 0);
    const room = totalBytes - size - 12 - 'Comment'.length - 1;
    if (room < 0) throw new Error(`PNG de ${totalBytes} octets impossible : ${size + 20} au moins.`);
    const text = Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.alloc(room, 0x20)]);
    parts.splice(2, 0, chunk('tEXt', text));
  }
  return Buffer.concat(parts);
}

/** A one-page PDF. */
export function makePdf(): Buffer<ArrayBuffer> {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n' +
      'trailer << /Root 1 0 R >>\n%%EOF\n',
    'latin1',
  );
}
