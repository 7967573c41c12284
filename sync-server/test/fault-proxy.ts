import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { prng } from './naive-checkpoint';

/**
 * An HTTP proxy that puts a bad network between clients and the sync server. With a seeded
 * PRNG it drops requests (the server never sees them), drops responses (the server did the
 * work, the client never learns it), delays, and duplicates requests (the server gets two,
 * the client one answer), reorders (a request held until a later one has gone first; answers held
 * back at random, so that they come back in another order). Live streams (SSE) pass through and
 * may be cut at random. While
 * the server is down (restart), it answers 502 like a real reverse proxy.
 */

export interface FaultRates {
  /** Destroys the client's socket before forwarding. */
  dropRequest: number;
  /** Forwards, waits for the answer, then destroys the client's socket instead of answering. */
  dropResponse: number;
  /** Forwards twice (at once or one after the other) and answers with the first answer. */
  duplicate: number;
  /** Each request waits 0..maxDelayMs before being forwarded. */
  maxDelayMs: number;
  /** Share of live streams cut after a random 0.2–3 s. */
  cutStream: number;
  /** Share of requests held until a request that arrived after them has been forwarded (at most 500 ms). */
  reorder: number;
  /** Each answer waits 0..maxResponseDelayMs before it is sent back. */
  maxResponseDelayMs: number;
}

export const DEFAULT_FAULTS: FaultRates = {
  dropRequest: 0.1,
  dropResponse: 0.1,
  duplicate: 0.1,
  maxDelayMs: 300,
  cutStream: 0.5,
  reorder: 0,
  maxResponseDelayMs: 0,
};

export interface FaultStats {
  requests: number;
  droppedRequests: number;
  droppedResponses: number;
  duplicated: number;
  delayed: number;
  reordered: number;
  upstreamErrors: number;
  streams: number;
  cutStreams: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly seed: number;
  readonly stats: FaultStats;
  /** Faults on or off (off: a plain, fast proxy). */
  faults: boolean;
  /** Where requests go (changes when the server restarts on another port). */
  target: string;
  /** Changes the fault rates from now on. */
  setRates(rates: Partial<FaultRates>): void;
  /** Cuts every live stream now (both sides); answers how many were open. */
  cutStreams(): number;
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function forward(target: string, req: http.IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url ?? '/', target);
    const headers = { ...req.headers, host: url.host };
    delete headers.connection;
    const upstream = http.request(
      url,
      { method: req.method, headers, agent: false, timeout: 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('délai dépassé')));
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function answer(res: http.ServerResponse, up: Upstream) {
  const headers = { ...up.headers };
  delete headers['transfer-encoding'];
  delete headers.connection;
  headers['content-length'] = String(up.body.length);
  res.writeHead(up.status, headers);
  res.end(up.body);
}

export async function startFaultProxy(options: {
  target: string;
  seed?: number;
  rates?: Partial<FaultRates>;
}): Promise<FaultProxy> {
  const seed = options.seed ?? (Number(process.env.FAULT_SEED) || Math.floor(Math.random() * 2 ** 31));
  const random = prng(seed);
  const rates: FaultRates = { ...DEFAULT_FAULTS, ...options.rates };
  let forwarded = 0;
  const stats: FaultStats = {
    requests: 0,
    droppedRequests: 0,
    droppedResponses: 0,
    duplicated: 0,
    delayed: 0,
    reordered: 0,
    upstreamErrors: 0,
    streams: 0,
    cutStreams: 0,
  };
  const sockets = new Set<import('node:net').Socket>();
  const streams = new Set<http.ServerResponse>();

  const proxy: FaultProxy = {
    url: '',
    seed,
    stats,
    faults: true,
    target: options.target,
    setRates(next) {
      Object.assign(rates, next);
    },
    cutStreams() {
      const n = streams.size;
      for (const s of streams) s.destroy();
      streams.clear();
      return n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const streamThrough = (req: http.IncomingMessage, res: http.ServerResponse) => {
    stats.streams++;
    const url = new URL(req.url ?? '/', proxy.target);
    const upstream = http.request(
      url,
      { method: 'GET', headers: { ...req.headers, host: url.host }, agent: false },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    streams.add(res);
    res.on('close', () => {
      streams.delete(res);
      upstream.destroy();
    });
    upstream.end();
    if (proxy.faults && random() < rates.cutStream) {
      stats.cutStreams++;
      setTimeout(() => res.destroy(), 200 + random() * 2800).unref();
    }
  };

  const server = http.createServer((req, res) => {
    if (/\/stream(\?|$)/.test(req.url ?? '')) {
      streamThrough(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        stats.requests++;
        const body = Buffer.concat(chunks);
        const faults = proxy.faults;
        // Every decision is drawn up front, in arrival order, from the seeded PRNG.
        const delay = faults ? random() * rates.maxDelayMs : 0;
        const roll = faults ? random() : 1;
        const twiceAtOnce = random() < 0.5;
        const dropRequest = roll < rates.dropRequest;
        const dropResponse = !dropRequest && roll < rates.dropRequest + rates.dropResponse;
        const reorder = faults && rates.reorder > 0 && random() < rates.reorder;
        const responseDelay =
          faults && rates.maxResponseDelayMs > 0 ? random() * rates.maxResponseDelayMs : 0;
        const duplicate =
          !dropRequest && !dropResponse && roll < rates.dropRequest + rates.dropResponse + rates.duplicate;
        if (delay > 0) {
          stats.delayed++;
          await new Promise((r) => setTimeout(r, delay));
        }
        if (reorder) {
          stats.reordered++;
          const before = forwarded;
          for (let waited = 0; forwarded === before && waited < 500; waited += 10)
            await new Promise((r) => setTimeout(r, 10));
        }
        if (dropRequest) {
          stats.droppedRequests++;
          req.socket.destroy();
          return;
        }
        forwarded++;
        const target = proxy.target;
        try {
          let up: Upstream;
          if (duplicate) {
            stats.duplicated++;
            if (twiceAtOnce) {
              const [first, second] = await Promise.allSettled([
                forward(target, req, body),
                forward(target, req, body),
              ]);
              if (first.status === 'fulfilled') up = first.value;
              else if (second.status === 'fulfilled') up = second.value;
              else throw first.reason;
            } else {
              up = await forward(target, req, body);
              await forward(target, req, body).catch(() => undefined);
            }
          } else {
            up = await forward(target, req, body);
          }
          if (responseDelay > 0) await new Promise((r) => setTimeout(r, responseDelay));
          if (dropResponse) {
            stats.droppedResponses++;
            req.socket.destroy();
            return;
          }
          answer(res, up);
        } catch {
          stats.upstreamErrors++;
          if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { code: 'bad-gateway', message: 'Serveur injoignable.' } }));
          }
        }
      })();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  (proxy as { url: string }).url = `http://127.0.0.1:${port}`;
  return proxy;
}
