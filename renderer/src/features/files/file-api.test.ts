import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type BatchEvent,
  type BatchFrame,
  BatchFrameParser,
  downloadBatch,
  readBatchBody,
  TRUNCATED_BATCH_MESSAGE,
  UNREADABLE_BATCH_MESSAGE,
} from './file-api';

/** Issue 6, « Préparer le salon »: the framing of `POST /api/files/batch`, read as a stream. */

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (s: string) => new TextEncoder().encode(s);

interface Sample {
  sha256: string;
  mime: string;
  bytes: Uint8Array;
}

/** The server's framing (sync-server/src/files/routes.ts, `fileBatchChunks`). */
function encode(files: Sample[], missing: string[], deferred: string[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of files) {
    parts.push(text(`${JSON.stringify({ sha256: f.sha256, mime: f.mime, size: f.bytes.length })}\n`));
    parts.push(f.bytes);
  }
  parts.push(text(`${JSON.stringify({ missing, deferred })}\n`));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function sample(content: Uint8Array, mime = 'application/pdf'): Sample {
  return { sha256: sha(content), mime, bytes: content };
}

// Bytes that look like framing on purpose: newlines, braces, a JSON line inside a file.
const FILES = [
  sample(text('%PDF-1.4\n{"sha256":"x","size":3}\n\n%%EOF\n')),
  sample(new Uint8Array([]), 'text/plain'),
  sample(new Uint8Array([0x0a, 0, 255, 0x0a, 0x7b]), 'image/png'),
];
const MISSING = ['a'.repeat(64)];
const DEFERRED = ['b'.repeat(64), 'c'.repeat(64)];
const BODY = encode(FILES, MISSING, DEFERRED);

function parseAll(chunks: Uint8Array[]): BatchFrame[] {
  const parser = new BatchFrameParser();
  const frames = chunks.flatMap((c) => parser.push(c));
  parser.finish();
  return frames;
}

function expectFrames(frames: BatchFrame[]) {
  expect(frames).toHaveLength(FILES.length + 1);
  FILES.forEach((f, i) => {
    const frame = frames[i]!;
    expect(frame.kind).toBe('file');
    if (frame.kind !== 'file') return;
    expect(frame.sha256).toBe(f.sha256);
    expect(frame.mime).toBe(f.mime);
    expect([...frame.bytes]).toEqual([...f.bytes]);
    expect(sha(frame.bytes)).toBe(f.sha256);
  });
  expect(frames.at(-1)).toEqual({ kind: 'end', missing: MISSING, deferred: DEFERRED });
}

function streamOf(chunks: Uint8Array[], error?: Error): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else if (error) controller.error(error);
      else controller.close();
    },
  });
}

async function collect(events: AsyncIterable<BatchEvent>): Promise<BatchEvent[]> {
  const out: BatchEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('BatchFrameParser', () => {
  it('reads the whole body in one chunk', () => {
    expectFrames(parseAll([BODY]));
  });

  it('reads the same frames whatever the byte where the body is cut', () => {
    for (let cut = 0; cut <= BODY.length; cut++)
      expectFrames(parseAll([BODY.subarray(0, cut), BODY.subarray(cut)]));
    for (let a = 1; a < BODY.length; a += 7)
      for (let b = a; b < BODY.length; b += 11)
        expectFrames(parseAll([BODY.subarray(0, a), BODY.subarray(a, b), BODY.subarray(b)]));
  });

  it('reads one byte at a time', () => {
    expectFrames(parseAll(Array.from(BODY, (b) => new Uint8Array([b]))));
  });

  it('says clearly that a body cut short is truncated, wherever it stops', () => {
    for (let cut = 0; cut < BODY.length; cut++) {
      const parser = new BatchFrameParser();
      parser.push(BODY.subarray(0, cut));
      expect(() => parser.finish(), `coupé à ${cut}`).toThrow(TRUNCATED_BATCH_MESSAGE);
    }
  });

  it('refuses malformed headers and anything after the last line', () => {
    const bad = [
      'pas du json\n',
      '[1,2]\n',
      `{"sha256":"${'a'.repeat(64)}","mime":"application/pdf","size":-1}\n`,
      `{"sha256":"${'a'.repeat(64)}","mime":"application/pdf","size":1.5}\n`,
      `{"sha256":"court","mime":"application/pdf","size":1}\n`,
      '{"missing":["x"],"deferred":[]}\n',
      '{"missing":[]}\n',
      '{"missing":[],"deferred":[]}\nencore',
    ];
    for (const body of bad) {
      const parser = new BatchFrameParser();
      expect(() => parser.push(text(body)), body).toThrow(UNREADABLE_BATCH_MESSAGE);
    }
    // A header line that never ends is not buffered for ever.
    expect(() => new BatchFrameParser().push(new Uint8Array(70 * 1024).fill(0x20))).toThrow(
      UNREADABLE_BATCH_MESSAGE,
    );
  });
});

describe('readBatchBody', () => {
  it('yields each file as its bytes arrive, then the last line', async () => {
    const chunks = Array.from({ length: Math.ceil(BODY.length / 7) }, (_, i) =>
      BODY.subarray(i * 7, i * 7 + 7),
    );
    const events = await collect(readBatchBody(streamOf(chunks)));
    expectFrames(events as BatchFrame[]);
  });

  it('yields the files received, then a clear error, for a truncated body', async () => {
    const cut = BODY.length - 5;
    const events = await collect(readBatchBody(streamOf([BODY.subarray(0, cut)])));
    expect(events.filter((e) => e.kind === 'file')).toHaveLength(FILES.length);
    expect(events.at(-1)).toEqual({ kind: 'error', message: TRUNCATED_BATCH_MESSAGE });
  });

  it('says offline when the connection drops on the way', async () => {
    const events = await collect(readBatchBody(streamOf([BODY.subarray(0, 20)], new TypeError('network'))));
    expect(events).toEqual([{ kind: 'offline' }]);
  });

  it('says what is wrong with a malformed body', async () => {
    const events = await collect(readBatchBody(streamOf([text('<html>Bad gateway</html>\n')])));
    expect(events).toEqual([{ kind: 'error', message: UNREADABLE_BATCH_MESSAGE }]);
  });
});

describe('downloadBatch', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('posts the hashes and reads the answer', async () => {
    const fetchMock = vi.fn(async () => new Response(streamOf([BODY]), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const events = await collect(downloadBatch([FILES[0]!.sha256]));
    expectFrames(events as BatchFrame[]);
    const [url, init] = fetchMock.mock.calls[0]! as unknown as [string, RequestInit];
    expect(url).toMatch(/\/api\/files\/batch$/);
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ sha256: [FILES[0]!.sha256] });
  });

  it('says unsupported for an older server (404), offline without network, the error otherwise', async () => {
    vi.stubGlobal(
      'fetch',
      async () => new Response('{"error":{"code":"not-found","message":"x"}}', { status: 404 }),
    );
    expect(await collect(downloadBatch(['a'.repeat(64)]))).toEqual([{ kind: 'unsupported' }]);
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await collect(downloadBatch(['a'.repeat(64)]))).toEqual([{ kind: 'offline' }]);
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({ error: { code: 'bad-request', message: '100 fichiers au plus par demande.' } }),
          { status: 400, headers: { 'content-type': 'application/json' } },
        ),
    );
    expect(await collect(downloadBatch(['a'.repeat(64)]))).toEqual([
      { kind: 'error', message: '100 fichiers au plus par demande.' },
    ]);
  });
});
