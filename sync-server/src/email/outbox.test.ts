import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryDatabaseOptions } from '../../test/harness';
import { type Database, openDatabase } from '../db/database';
import { migrate } from '../db/migrations';
import {
  checkMailHeaders,
  defaultMailTransport,
  fileTransport,
  type MailTransport,
  type OutgoingEmail,
  queueEmail,
  retryDelaySeconds,
  startOutboxSender,
  toEml,
} from './outbox';

let db: Database;

beforeAll(async () => {
  db = await openDatabase(memoryDatabaseOptions());
  await migrate(db);
});

afterAll(async () => {
  await db?.close();
});

beforeEach(async () => {
  await db.query('truncate email_outbox');
});

function recorder(fail: (mail: OutgoingEmail) => boolean = () => false) {
  const sent: OutgoingEmail[] = [];
  const transport: MailTransport = {
    description: 'test',
    async send(mail) {
      if (fail(mail)) throw new Error('serveur de messagerie injoignable');
      sent.push(mail);
    },
  };
  return { sent, transport };
}

async function rows() {
  const { rows } = await db.query<{
    to_address: string;
    subject: string;
    sent_at: Date | null;
    attempts: number;
    last_error: string | null;
    next_attempt_at: Date;
  }>(
    'select to_address, subject, sent_at, attempts, last_error, next_attempt_at from email_outbox order by id',
  );
  return rows;
}

describe('queueEmail', () => {
  it('writes the e-mail in the transaction, once per dedupe key', async () => {
    const first = await db.transaction((tx) =>
      queueEmail(tx, { to: 'a@exemple.test', subject: 'Bonjour', text: 'Corps', dedupeKey: 'k1' }),
    );
    const again = await db.transaction((tx) =>
      queueEmail(tx, { to: 'a@exemple.test', subject: 'Bonjour', text: 'Corps', dedupeKey: 'k1' }),
    );
    await db.transaction((tx) => queueEmail(tx, { to: 'b@exemple.test', subject: 'Sans clé', text: 'x' }));
    await db.transaction((tx) => queueEmail(tx, { to: 'b@exemple.test', subject: 'Sans clé', text: 'x' }));
    expect([first, again]).toEqual([true, false]);
    expect((await rows()).map((r) => r.to_address)).toEqual([
      'a@exemple.test',
      'b@exemple.test',
      'b@exemple.test',
    ]);
  });

  it('rolls back with its transaction and refuses header injection', async () => {
    await expect(
      db.transaction(async (tx) => {
        await queueEmail(tx, { to: 'c@exemple.test', subject: 'Perdu', text: 'x' });
        throw new Error('annulé');
      }),
    ).rejects.toThrow('annulé');
    await expect(
      db.transaction((tx) =>
        queueEmail(tx, { to: 'x@exemple.test\r\nBcc: y@exemple.test', subject: 's', text: 't' }),
      ),
    ).rejects.toThrow();
    await db.transaction((tx) =>
      queueEmail(tx, { to: 'd@exemple.test', subject: 'Ligne\r\nBcc: z', text: 't' }),
    );
    expect((await rows()).map((r) => r.subject)).toEqual(['Ligne Bcc: z']);
  });

  it('stores the allow-listed list headers and hands them to the transport', async () => {
    const headers = {
      'List-Unsubscribe': '<https://emploi.example/api/public/alerts/unsubscribe/abc>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': 'Alerte emploi <s1.alertes.emploi.example>',
    };
    await db.transaction((tx) =>
      queueEmail(tx, { to: 'h@exemple.test', subject: 'Alerte', text: 'x', headers }),
    );
    await db.transaction((tx) => queueEmail(tx, { to: 'sans@exemple.test', subject: 'Sans', text: 'x' }));
    const stored = await db.query<{ headers: unknown }>('select headers from email_outbox order by id');
    expect(stored.rows.map((r) => r.headers)).toEqual([headers, null]);
    const { sent, transport } = recorder();
    const sender = startOutboxSender(db, transport, { intervalMs: 0 });
    expect(await sender.flush()).toBe(2);
    await sender.stop();
    expect(sent[0]!.headers).toEqual(headers);
    expect(sent[1]!.headers).toBeUndefined();
    // A damaged stored value is left out rather than sent or blocking the e-mail.
    await db.query('truncate email_outbox');
    await db.query(
      `insert into email_outbox (to_address, subject, body_text, headers)
       values ('d@exemple.test', 's', 't', '{"List-Id": "a\\r\\nBcc: x@y.z", "X-Evil": "1", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}'::jsonb)`,
    );
    const again = recorder();
    const sender2 = startOutboxSender(db, again.transport, { intervalMs: 0 });
    expect(await sender2.flush()).toBe(1);
    await sender2.stop();
    expect(again.sent[0]!.headers).toEqual({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  });

  it('refuses header injection and headers outside the allow-list, writing nothing', async () => {
    const bad: unknown[] = [
      { 'List-Unsubscribe': '<https://a.fr/x>\r\nBcc: victime@exemple.test' },
      { 'List-Id': 'liste\nX-Spam: oui' },
      { 'List-Id': 'liste\rX: 1' },
      { Bcc: 'victime@exemple.test' },
      { 'Content-Type': 'text/html' },
      { 'List-Id': 'Liste « accentuée »' },
      { 'List-Id': 'x'.repeat(901) },
      { 'List-Id': 42 },
      { 'List-Id': '   ' },
      { 'List-Id': 'a', 'list-id': 'b' },
      ['List-Id', 'a'],
      'List-Id: a',
    ];
    for (const headers of bad) {
      expect(() => checkMailHeaders(headers)).toThrow(/en-tête/);
      await expect(
        db.transaction((tx) =>
          queueEmail(tx, { to: 'i@exemple.test', subject: 's', text: 't', headers: headers as never }),
        ),
      ).rejects.toThrow(/en-tête/);
    }
    expect(await rows()).toEqual([]);
    expect(checkMailHeaders({ 'list-id': ' Alerte <a.b> ' })).toEqual({ 'List-Id': 'Alerte <a.b>' });
    expect(checkMailHeaders({})).toBeNull();
    expect(checkMailHeaders(undefined)).toBeNull();
  });
});

describe('the sender', () => {
  it('sends due e-mails once, in order, and marks them sent', async () => {
    for (const n of [1, 2, 3])
      await db.transaction((tx) => queueEmail(tx, { to: `${n}@exemple.test`, subject: `n°${n}`, text: 'x' }));
    const { sent, transport } = recorder();
    const sender = startOutboxSender(db, transport, { intervalMs: 0, batchSize: 2 });
    expect(await sender.flush()).toBe(3);
    expect(await sender.flush()).toBe(0);
    await sender.stop();
    expect(sent.map((m) => m.subject)).toEqual(['n°1', 'n°2', 'n°3']);
    expect((await rows()).every((r) => r.sent_at !== null && r.attempts === 1)).toBe(true);
  });

  it('keeps a failed e-mail with its error and retries it later', async () => {
    await db.transaction((tx) => queueEmail(tx, { to: 'ko@exemple.test', subject: 'Échec', text: 'x' }));
    await db.transaction((tx) => queueEmail(tx, { to: 'ok@exemple.test', subject: 'Réussite', text: 'x' }));
    const { sent, transport } = recorder((m) => m.to === 'ko@exemple.test');
    const logs: string[] = [];
    const sender = startOutboxSender(db, transport, { intervalMs: 0, log: (m) => logs.push(m) });
    expect(await sender.flush()).toBe(1);
    const [ko, ok] = await rows();
    expect(ok!.sent_at).not.toBeNull();
    expect(ko).toMatchObject({ sent_at: null, attempts: 1, last_error: 'serveur de messagerie injoignable' });
    expect(new Date(ko!.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(logs[0]).toContain('non envoyé');
    // Not retried before its time…
    expect(await sender.flush()).toBe(0);
    // …then retried and sent.
    await db.query(
      "update email_outbox set next_attempt_at = now() - interval '1 second' where sent_at is null",
    );
    const second = recorder();
    const sender2 = startOutboxSender(db, second.transport, { intervalMs: 0 });
    expect(await sender2.flush()).toBe(1);
    expect(second.sent.map((m) => m.to)).toEqual(['ko@exemple.test']);
    expect(sent.map((m) => m.to)).toEqual(['ok@exemple.test']);
    await sender.stop();
    await sender2.stop();
  });

  it('never sends a row another instance has claimed', async () => {
    await db.transaction((tx) => queueEmail(tx, { to: 'claim@exemple.test', subject: 'Réservé', text: 'x' }));
    await db.query("update email_outbox set locked_until = now() + interval '5 minutes'");
    const { sent, transport } = recorder();
    const sender = startOutboxSender(db, transport, { intervalMs: 0 });
    expect(await sender.flush()).toBe(0);
    expect(sent).toEqual([]);
    await sender.stop();
  });

  it('sends on its own at the chosen interval', async () => {
    await db.transaction((tx) => queueEmail(tx, { to: 'auto@exemple.test', subject: 'Auto', text: 'x' }));
    const { sent, transport } = recorder();
    const sender = startOutboxSender(db, transport, { intervalMs: 20 });
    for (let i = 0; i < 100 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await sender.stop();
    expect(sent.map((m) => m.to)).toEqual(['auto@exemple.test']);
  });

  it('gives up after the maximum number of attempts', async () => {
    await db.transaction((tx) => queueEmail(tx, { to: 'ko@exemple.test', subject: 'x', text: 'x' }));
    await db.query('update email_outbox set attempts = 8');
    const { sent, transport } = recorder();
    const sender = startOutboxSender(db, transport, { intervalMs: 0, maxAttempts: 8 });
    expect(await sender.flush()).toBe(0);
    expect(sent).toEqual([]);
    await sender.stop();
  });

  it('backs off: 1 min, 2, 4… at most 6 h', () => {
    expect([1, 2, 3].map(retryDelaySeconds)).toEqual([60, 120, 240]);
    expect(retryDelaySeconds(20)).toBe(6 * 3600);
  });
});

describe('transports', () => {
  const mail: OutgoingEmail = {
    id: '42',
    to: 'dest@exemple.test',
    subject: 'Invitation à rejoindre « Boulangeries Martin »',
    text: 'Bonjour,\nVoici le lien.',
    createdAt: new Date('2025-03-01T10:00:00Z'),
  };

  it('writes RFC 5322 messages with encoded UTF-8 subjects', () => {
    const eml = toEml(mail);
    expect(eml).toContain('To: dest@exemple.test\r\n');
    expect(eml).toMatch(/Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=\r\n/);
    const encoded = /Subject: =\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=/.exec(eml)![1]!;
    expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe(mail.subject);
    expect(eml).toContain('Content-Type: text/plain; charset=utf-8');
    expect(eml.endsWith('Bonjour,\r\nVoici le lien.\r\n')).toBe(true);
    expect(toEml({ ...mail, subject: 'Plain ASCII' })).toContain('Subject: Plain ASCII\r\n');
  });

  it('writes the list headers in the .eml, and refuses an injected one', () => {
    const eml = toEml({
      ...mail,
      headers: {
        'List-Unsubscribe': '<https://a.fr/api/public/alerts/unsubscribe/t>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    expect(eml).toContain('List-Unsubscribe: <https://a.fr/api/public/alerts/unsubscribe/t>\r\n');
    expect(eml).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(eml.indexOf('List-Unsubscribe:')).toBeLessThan(eml.indexOf('\r\n\r\n'));
    expect(() => toEml({ ...mail, headers: { 'List-Id': 'a\r\nBcc: b@c.fr' } })).toThrow(/en-tête/);
  });

  it('the file transport writes one .eml per e-mail; the default folder sits beside the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    try {
      await fileTransport(join(dir, 'mail')).send(mail);
      const files = readdirSync(join(dir, 'mail'));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      expect(readFileSync(join(dir, 'mail', files[0]!), 'utf8')).toContain('Voici le lien.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(defaultMailTransport({ DATA_DIR: '/srv/data/pglite' }, '/').description).toContain(
      '/srv/data/mail',
    );
    expect(defaultMailTransport({ MAIL_DIR: 'courriels' }, '/app').description).toContain('/app/courriels');
  });
});
