/**
 * Server-Sent Events over fetch: unlike EventSource it can send `Authorization` (Electron) and
 * credentials (browser), and it sees the HTTP status (401 session lost, 426 outdated client).
 */

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental parser for the text/event-stream format (WHATWG HTML §9.2): feed it chunks,
 * it calls `onMessage` for every complete event.
 */
export function createSseParser(onMessage: (message: SseMessage) => void): {
  push: (chunk: string) => void;
} {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let firstChunk = true;

  const dispatch = () => {
    if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n'), id });
    data = [];
    event = '';
  };

  const line = (text: string) => {
    if (text === '') {
      dispatch();
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };

  return {
    push(chunk: string) {
      if (firstChunk) {
        firstChunk = false;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      buffer += chunk;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (!match) break;
        // A lone "\r" at the end of the buffer may be the first half of "\r\n": wait for more.
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        line(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    },
  };
}

export interface SseConnectOptions {
  url: string;
  headers?: Record<string, string>;
  signal: AbortSignal;
  onOpen?: () => void;
  onMessage: (message: SseMessage) => void;
  /** Called when the connection ends or fails (not when aborted). `status` is set for HTTP errors. */
  onError?: (error: unknown, status?: number) => void;
  /** Delay before reconnecting, in ms. Returns null to stop reconnecting. */
  reconnectDelay?: (attempt: number, status?: number) => number | null;
  fetchImpl?: typeof fetch;
}

const defaultDelay = (attempt: number) => Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

/** Keeps an SSE connection open, reconnecting with backoff until `signal` aborts. */
export async function connectSse(options: SseConnectOptions): Promise<void> {
  const doFetch = options.fetchImpl ?? fetch;
  const delay = options.reconnectDelay ?? defaultDelay;
  let attempt = 0;
  while (!options.signal.aborted) {
    let status: number | undefined;
    try {
      const res = await doFetch(options.url, {
        headers: { Accept: 'text/event-stream', ...options.headers },
        credentials: 'include',
        cache: 'no-store',
        signal: options.signal,
      });
      status = res.status;
      if (!res.ok || !res.body) throw new Error(`SSE: HTTP ${res.status}`);
      attempt = 0;
      options.onOpen?.();
      const parser = createSseParser(options.onMessage);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      throw new Error('SSE: flux terminé');
    } catch (err) {
      if (options.signal.aborted) return;
      options.onError?.(err, status !== undefined && status >= 400 ? status : undefined);
      const wait = delay(attempt++, status !== undefined && status >= 400 ? status : undefined);
      if (wait === null) return;
      await sleep(wait, options.signal);
    }
  }
}
