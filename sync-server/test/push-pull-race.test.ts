import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/sync/canonical';
import type { OpResult } from './campaigns/fault-types';
import { login, serverState, Workstation } from './campaigns/faults';
import { startTestServer, type TestServer } from './harness';

/**
 * Regression (found by the fault campaign): a pull read by the server after a push was written,
 * but answered before that push, brought the document while it was still being pushed. RxDB leaves
 * such a document out (the local change must go up first), then took the pushed state as the
 * master when the push was acknowledged; its checkpoint was already past the server's state, so the
 * workstation kept for good a message without the server's `sentAt` (or an offer without its
 * number). The workstation now notes such arrivals and, once the change is sent, pulls again from
 * where it was when the change was made, whenever the network lets it (renderer/src/db/late-masters.ts).
 *
 * The workstation is the renderer's own replica and `SyncController`, in its own process
 * (campaigns/fault-workstation.ts); a proxy holds the pull before it reaches the server and the
 * push's answer on its way back, which sets the order, and has no live stream to offer.
 */

interface Proxy {
  url: string;
  holdPulls: boolean;
  /** What passed, in order: the pull answers that carried the watched id, and the push answers. */
  events: string[];
  watchId: string | null;
  /** After the watched push is answered, every request fails for this long (a network cut). */
  cutAfterPushMs: number;
  close(): Promise<void>;
}

async function startOrderingProxy(target: string): Promise<Proxy> {
  const proxy: Proxy = {
    url: '',
    holdPulls: false,
    events: [],
    watchId: null,
    cutAfterPushMs: 0,
    close: async () => {},
  };
  let cutUntil = 0;
  const server = http.createServer((req, res) => {
    if (Date.now() < cutUntil) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = req.url ?? '/';
      // No live stream: its events would bring the server's state once the push is answered and
      // hide the race (on a bad network the stream is often the part that is cut).
      if (path.startsWith('/api/sync/stream')) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const isPull = /\/messages\/v\d+\/pull\?/.test(path);
      const isPush = /\/messages\/v\d+\/push$/.test(path);
      if (isPull && proxy.holdPulls) await sleep(700);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'connection' && k !== 'content-length')
          headers.set(k, v);
      const controller = new AbortController();
      res.on('close', () => controller.abort());
      let upstream: Response;
      try {
        upstream = await fetch(new URL(path, target), {
          method: req.method ?? 'GET',
          headers,
          ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
          signal: controller.signal,
        });
      } catch {
        if (!res.headersSent) res.writeHead(502).end();
        return;
      }
      const type = upstream.headers.get('content-type') ?? '';
      if (type.includes('text/event-stream') && upstream.body) {
        res.writeHead(upstream.status, { 'content-type': type, 'cache-control': 'no-store' });
        try {
          for await (const chunk of upstream.body) res.write(chunk);
        } catch {
          // closed
        }
        res.end();
        return;
      }
      const body = Buffer.from(await upstream.arrayBuffer());
      if (isPush && proxy.holdPulls) await sleep(1500);
      if (isPull && proxy.watchId && body.includes(proxy.watchId)) proxy.events.push('tirage');
      if (isPush && proxy.watchId && Buffer.concat(chunks).includes(proxy.watchId)) {
        proxy.events.push('envoi');
        if (proxy.cutAfterPushMs > 0) cutUntil = Date.now() + proxy.cutAfterPushMs;
      }
      res.writeHead(upstream.status, { 'content-type': type || 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

describe('poste de travail : un tirage répondu avant l’envoi en cours', () => {
  let server: TestServer;
  let proxy: Proxy;
  let station: Workstation;
  let recruiter: Awaited<ReturnType<typeof login>>;
  beforeAll(async () => {
    server = await startTestServer();
    proxy = await startOrderingProxy(server.url);
    recruiter = await login(server.url, 'recruteur1@demo.test');
    station = await Workstation.start(
      'course',
      proxy.url,
      recruiter,
      recruiter.user.memberships[0]!.organisationId,
    );
    // The demo conversations reach the replica.
    for (let i = 0; i < 100; i++) {
      const { replica, pending } = await station.dump();
      if ((replica.conversations?.length ?? 0) > 0 && pending === 0) break;
      await sleep(100);
    }
  }, 90_000);
  afterAll(async () => {
    await station?.close();
    await proxy?.close();
    await server?.stop();
  });

  /** A pull leaves, held on its way; a message is written and pushed at once (answer held longer). */
  async function race(token: string, timeoutMs: number) {
    proxy.events = [];
    proxy.holdPulls = true;
    await station.send({ cmd: 'resync' });
    await sleep(100);
    const [sent] = await station.send<OpResult[]>({ cmd: 'do', ops: [{ kind: 'message', token, pick: 0 }] });
    expect(sent!.applied).toBe(true);
    proxy.watchId = sent!.id!;

    // The server's state of the message, and the replica's, once everything is answered.
    let stored: Record<string, unknown> | undefined;
    let local: Record<string, unknown> | undefined;
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      await sleep(100);
      try {
        stored = (await serverState(server.url, recruiter.token)).messages?.get(sent!.id!);
        local = (await station.dump()).replica.messages?.find((m) => m.id === sent!.id);
      } catch {
        continue;
      }
      if (proxy.events.includes('envoi') && stored && local && canonicalJson(stored) === canonicalJson(local))
        break;
    }
    proxy.holdPulls = false;
    proxy.watchId = null;
    return { stored, local, events: [...proxy.events] };
  }

  it('le message garde l’état du serveur (sentAt), pas celui envoyé', async () => {
    const { stored, local, events } = await race('course1', 8_000);
    // The race did happen: the server's message came in a pull answered before the push.
    expect(events.slice(0, 2)).toEqual(['tirage', 'envoi']);
    expect(stored?.sentAt).not.toBe(undefined);
    expect(local).toEqual(stored);
  }, 30_000);

  it('même quand le réseau est coupé juste après la réponse à l’envoi, plus longtemps que les nouvelles tentatives', async () => {
    // 6 s without network: the workstation retries every 500 ms; it must still pull again from where
    // it was when the message was written once the network is back, not give up.
    proxy.cutAfterPushMs = 6_000;
    const { stored, local, events } = await race('course2', 20_000);
    proxy.cutAfterPushMs = 0;
    expect(events.slice(0, 2)).toEqual(['tirage', 'envoi']);
    expect(stored?.sentAt).not.toBe(undefined);
    expect(local).toEqual(stored);
  }, 40_000);
});
