/** Small CV files of every accepted type, built in memory for tests (no fixture on disk). */
import { strToU8, zipSync } from 'fflate';
import PDFDocument from 'pdfkit';

export function makeDocx(paragraphs: string[]): Buffer<ArrayBuffer> {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = paragraphs
    .map((p) => `<w:p><w:r><w:t xml:space="preserve">${esc(p)}</w:t></w:r></w:p>`)
    .join('');
  const zip = zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    ),
    'word/document.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
    ),
  });
  return Buffer.from(zip) as Buffer<ArrayBuffer>;
}

export function makeOdt(paragraphs: string[]): Buffer<ArrayBuffer> {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = paragraphs.map((p) => `<text:p>${esc(p)}</text:p>`).join('');
  const zip = zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
    'content.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>${body}</office:text></office:body></office:document-content>`,
    ),
  });
  return Buffer.from(zip) as Buffer<ArrayBuffer>;
}

/** An RTF document (Windows-1252 escapes for accented letters, as word processors write them). */
export function makeRtf(paragraphs: string[]): Buffer<ArrayBuffer> {
  const enc = (s: string) =>
    [...s]
      .map((c) => {
        const code = c.charCodeAt(0);
        if (c === '\\' || c === '{' || c === '}') return `\\${c}`;
        if (code < 128) return c;
        if (code < 256) return `\\'${code.toString(16)}`;
        return `\\u${code}?`;
      })
      .join('');
  const text = paragraphs.map((p) => `${enc(p)}\\par\n`).join('');
  return Buffer.from(
    `{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}{\\*\\generator Test;}\\f0\\fs24 ${text}}\n`,
    'latin1',
  ) as Buffer<ArrayBuffer>;
}

/** A minimal OLE2 compound file naming a WordDocument stream (enough for the type check). */
export function makeDoc(): Buffer<ArrayBuffer> {
  const bytes = Buffer.alloc(2048);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes, 0);
  bytes[28] = 0xfe;
  bytes[29] = 0xff;
  Buffer.from('WordDocument', 'utf16le').copy(bytes, 1024);
  return bytes as Buffer<ArrayBuffer>;
}

export function makeCvPdf(lines: string[]): Promise<Buffer<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', compress: false });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks) as Buffer<ArrayBuffer>));
    doc.on('error', reject);
    for (const line of lines) doc.text(line);
    doc.end();
  });
}
