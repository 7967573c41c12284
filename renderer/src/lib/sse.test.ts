import { describe, expect, it } from 'vitest';
import { connectSse, createSseParser, type SseMessage } from './sse';

describe('createSseParser', () => {
  it('parses events split across chunks and line endings', () => {
    const got: SseMessage[] = [];
    const p = createSseParser((m) => got.push(m));
    p.push(': ping\n\ndata: "RES');
    p.push('YNC"\r\n\r');
    p.push('\nevent: x\ndata: {"a":1}\ndata: {"b":2}\n\n');
    expect(got).toEqual([
      { event: 'message', data: '"RESYNC"', id: undefined },
      { event: 'x', data: '{"a":1}\n{"b":2}', id: undefined },
    ]);
  });

  it('ignores events without data and keeps the last id', () => {
    const got: SseMessage[] = [];
    const p = createSseParser((m) => got.push(m));
    p.push('id: 7\n\nevent: only\n\ndata:x\n\n');
    expect(got).toEqual([{ event: 'message', data: 'x', id: '7' }]);
  });
});

describe('connectSse', () => {
  it('delivers messages, then reports the end and stops when told', async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(encoder.encode('data: "RESYNC"\n\n'));
        c.close();
      },
    });
    const controller = new AbortController();
    const messages: string[] = [];
    const errors: unknown[] = [];
    let opened = 0;
    await connectSse({
      url: 'http://x/stream',
      signal: controller.signal,
      fetchImpl: async () => new Response(body, { status: 200 }),
      onOpen: () => opened++,
      onMessage: (m) => messages.push(m.data),
      onError: (e) => errors.push(e),
      reconnectDelay: () => null,
    });
    expect(opened).toBe(1);
    expect(messages).toEqual(['"RESYNC"']);
    expect(errors).toHaveLength(1);
  });

  it('passes the HTTP status of a refused stream', async () => {
    const statuses: (number | undefined)[] = [];
    await connectSse({
      url: 'http://x/stream',
      signal: new AbortController().signal,
      fetchImpl: async () => new Response('{}', { status: 401 }),
      onMessage: () => {},
      onError: (_e, status) => statuses.push(status),
      reconnectDelay: () => null,
    });
    expect(statuses).toEqual([401]);
  });
});
