import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SavedSearch } from '../../shared/domain/saved-search';
import type { OfferDoc } from '../../shared/schemas/offer.schema';
import { clock } from '../src/clock';
import { offersCollection } from '../src/domain/offers';
import { engineAlertSearch, runSavedSearchAlerts } from '../src/jobs/saved-search-alerts';
import type { Doc } from '../src/sync/types';
import { api, startTestServer, type TestServer } from './harness';
import { startTestMailbox, type TestMailbox } from './mail';

/** Issue 4 « Saved searches and alerts » (seed 002: daily alert, 3-month subscription, one-click unsubscribe). */

const ORG1 = '0b0e0000-0000-4000-8000-000000000001';
const R1_ID = '0a0c0000-0000-4000-8000-000000000001';
const CANDIDATE = 'candidat@demo.test';
const DAY = 24 * 3600 * 1000;

let server: TestServer;
let mailbox: TestMailbox;
let token: string;

interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

beforeAll(async () => {
  mailbox = await startTestMailbox();
  server = await startTestServer({ mailTransport: mailbox.transport });
});

beforeEach(async () => {
  clock.reset();
  await server.reset();
  mailbox.clear();
  token = await server.login(CANDIDATE);
});

afterAll(async () => {
  clock.reset();
  await server?.stop();
  await mailbox?.close();
});

/** Publishes an offer now (server clock), as the server itself writes it. */
async function publish(title: string, overrides: Partial<OfferDoc> = {}): Promise<OfferDoc> {
  const now = clock.now().toISOString();
  const doc = {
    id: randomUUID(),
    organisationId: ORG1,
    title,
    jobTitle: title,
    romeCode: 'D1102',
    city: 'Nantes',
    postalCode: '44000',
    companyName: 'Boulangerie du Port',
    contactPhone: '02 40 00 00 00',
    seasonal: false,
    contractTypes: ['CDI'],
    description: 'Fabrication du pain et des viennoiseries, accueil des clients.',
    status: 'publiee',
    number: `${String(Math.floor(Math.random() * 900000) + 100000)}Z`,
    authorId: R1_ID,
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
    expiresAt: new Date(Date.parse(now) + 60 * DAY).toISOString(),
    ...overrides,
  } as OfferDoc;
  await server.db.transaction((tx) =>
    server.app.engine.write(tx, offersCollection, doc as unknown as Doc, false),
  );
  return doc;
}

async function save(name: string, criteria: Record<string, unknown>) {
  const res = await api<SavedSearch>(`${server.url}/api/candidate/alerts`, {
    token,
    body: { name, criteria },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function alertMails() {
  const { rows } = await server.db.query<{ subject: string; body_text: string; to_address: string }>(
    `select subject, body_text, to_address from email_outbox where dedupe_key like 'saved-search-alert|%' order by id`,
  );
  return rows;
}

const runJobs = () => server.app.scheduler.runAll();
const advance = (days: number) => clock.advance(days * DAY);

describe('saved searches', () => {
  it('saves, lists with the criteria in words and the end of the subscription, renames and deletes', async () => {
    const saved = await save('Zythologue à Nantes', { keywords: 'zythologue', contractTypes: ['CDI'] });
    expect(saved.summary).toContain('zythologue');
    expect(saved.summary).toContain('CDI');
    const months3 = Date.parse(saved.expiresAt) - Date.parse(saved.createdAt);
    expect(months3).toBeGreaterThan(88 * DAY);
    expect(months3).toBeLessThan(93 * DAY);

    const list = await api<{ items: SavedSearch[] }>(`${server.url}/api/candidate/alerts`, { token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((s) => s.name)).toEqual(['Zythologue à Nantes']);

    const renamed = await api<SavedSearch>(`${server.url}/api/candidate/alerts/${saved.id}`, {
      token,
      method: 'PATCH',
      body: { name: '  Zythologue   CDI ' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Zythologue CDI');

    const gone = await api(`${server.url}/api/candidate/alerts/${saved.id}`, { token, method: 'DELETE' });
    expect(gone.status).toBe(204);
    const again = await api<ErrorBody>(`${server.url}/api/candidate/alerts/${saved.id}`, {
      token,
      method: 'DELETE',
    });
    expect(again.status).toBe(404);
    expect(
      (await api<{ items: SavedSearch[] }>(`${server.url}/api/candidate/alerts`, { token })).body.items,
    ).toEqual([]);
  });

  it('refuses bad input with French messages naming the fields, and other people’s searches', async () => {
    const bad = await api<ErrorBody>(`${server.url}/api/candidate/alerts`, {
      token,
      body: { name: '', criteria: { contractTypes: ['CDX'], radiusKm: 'loin' } },
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.fields?.map((f) => f.field) ?? [];
    expect(fields).toEqual(expect.arrayContaining(['name', 'criteria.contractTypes', 'criteria.radiusKm']));

    const empty = await api<ErrorBody>(`${server.url}/api/candidate/alerts`, {
      token,
      body: { name: 'Tout', criteria: {} },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields?.[0]?.field).toBe('criteria');

    for (const body of [null, [], 'x', { name: 'x'.repeat(101), criteria: { keywords: 'pain' } }]) {
      const res = await api(`${server.url}/api/candidate/alerts`, { token, body });
      expect(res.status).toBe(400);
    }
    expect(
      (await api(`${server.url}/api/candidate/alerts/pas-un-id/renew`, { token, body: {} })).status,
    ).toBe(404);

    const saved = await save('Pain', { keywords: 'pain' });
    const recruiter = await server.login('recruteur1@demo.test');
    expect((await api(`${server.url}/api/candidate/alerts`, { token: recruiter })).status).toBe(403);
    expect((await api(`${server.url}/api/candidate/alerts`, {})).status).toBe(401);
    // Another candidate does not see nor touch it.
    const otherId = randomUUID();
    await server.db.query(
      `insert into accounts (id, email, password_hash, kind, first_name, last_name) values ($1, $2, 'x', 'candidate', 'Léa', 'Autre')`,
      [otherId, `autre-${otherId}@demo.test`],
    );
    const { createSession } = await import('../src/auth/sessions');
    const other = await createSession(server.db, otherId);
    const res = await api<ErrorBody>(`${server.url}/api/candidate/alerts/${saved.id}`, {
      token: other,
      method: 'DELETE',
    });
    expect(res.status).toBe(404);
    expect(
      (await api<{ items: unknown[] }>(`${server.url}/api/candidate/alerts`, { token: other })).body.items,
    ).toEqual([]);
  });

  it('answers any JSON with a 201 or a French 4xx, never a 500 nor a half-written search', async () => {
    const criteria = fc.oneof(
      fc.anything(),
      fc.record(
        {
          keywords: fc.oneof(fc.string(), fc.integer()),
          contractTypes: fc.oneof(fc.constant(['CDI']), fc.array(fc.string())),
          place: fc.oneof(fc.anything(), fc.record({ kind: fc.string(), code: fc.string() })),
          radiusKm: fc.oneof(fc.integer(), fc.double(), fc.string()),
          salaryMin: fc.oneof(fc.integer(), fc.string()),
          seasonal: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.anything()), criteria, async (name, c) => {
        const res = await api<ErrorBody>(`${server.url}/api/candidate/alerts`, {
          token,
          body: { name, criteria: c },
        });
        expect([201, 400, 409]).toContain(res.status);
        if (res.status !== 201) expect(res.body.error.message).toMatch(/[a-zé]/);
      }),
      { numRuns: 60 },
    );
    const { rows } = await server.db.query<{ n: number }>(
      `select count(*)::int as n from saved_searches where name = '' or criteria is null`,
    );
    expect(rows[0]!.n).toBe(0);
  });
});

describe('alert e-mails', () => {
  it('mails a new matching offer once and only once across repeated runs and days; never a non-matching one', async () => {
    await save('Zythologue', { keywords: 'zythologue', contractTypes: ['CDI'] });
    const match = await publish('Zythologue confirmé H/F');
    const otherJob = await publish('Vendeur en boulangerie H/F');
    const otherContract = await publish('Zythologue saisonnier H/F', { contractTypes: ['CDD'] });

    await runJobs();
    await runJobs();
    let mails = await alertMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to_address).toBe(CANDIDATE);
    expect(mails[0]!.subject).toBe('Alerte « Zythologue » : 1 nouvelle offre');
    expect(mails[0]!.body_text).toContain(`/offres/${match.id}`);
    expect(mails[0]!.body_text).toContain('Zythologue confirmé H/F');
    expect(mails[0]!.body_text).not.toContain(otherJob.id);
    expect(mails[0]!.body_text).not.toContain(otherContract.id);
    expect(mails[0]!.body_text).toMatch(/\/alertes\/desinscription\?jeton=[A-Za-z0-9_-]{43}/);

    // Next days: nothing new, nothing sent; the same offer is never mailed again.
    advance(1);
    await runJobs();
    advance(1);
    await runJobs();
    expect(await alertMails()).toHaveLength(1);

    // A second matching offer the same day as a run waits for the next day, then comes alone.
    const second = await publish('Zythologue caviste CDI');
    await runJobs();
    expect(await alertMails()).toHaveLength(1);
    advance(1);
    await runJobs();
    await runJobs();
    mails = await alertMails();
    expect(mails).toHaveLength(2);
    expect(mails[1]!.body_text).toContain(`/offres/${second.id}`);
    expect(mails[1]!.body_text).not.toContain(`/offres/${match.id}`);
    const { rows } = await server.db.query<{ n: number }>(
      'select count(*)::int as n from saved_search_deliveries',
    );
    expect(rows[0]!.n).toBe(2);
  });

  it('two runs at once (two server instances, a restart mid-tick) send one e-mail', async () => {
    await save('Zythologue', { keywords: 'zythologue' });
    await publish('Zythologue confirmé H/F');
    const run = () =>
      runSavedSearchAlerts(server.db, clock.now(), {
        base: 'https://emploi.example',
        search: engineAlertSearch,
      });
    const outcomes = await Promise.all([run(), run(), run()]);
    expect(outcomes.reduce((n, o) => n + o.mailed, 0)).toBe(1);
    const mails = await alertMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body_text).toContain('https://emploi.example/alertes/desinscription?jeton=');
    expect(mails[0]!.body_text).toContain('https://emploi.example/?motsCles=zythologue');
  });

  it('sends nothing to an address not confirmed yet', async () => {
    await save('Zythologue', { keywords: 'zythologue' });
    await server.db.query(`update accounts set email_confirmed_at = null where email = $1`, [CANDIDATE]);
    await publish('Zythologue confirmé H/F');
    await runJobs();
    expect(await alertMails()).toEqual([]);
  });

  it('sends nothing for an expired subscription, and a reminder 7 days before the end', async () => {
    await save('Zythologue', { keywords: 'zythologue' });
    advance(86);
    await runJobs();
    const { rows: reminders } = await server.db.query<{ subject: string; body_text: string }>(
      `select subject, body_text from email_outbox where dedupe_key like 'saved-search-expiry|%'`,
    );
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.subject).toContain('s’arrête bientôt');
    expect(reminders[0]!.body_text).toContain('/mes-alertes');
    await runJobs();
    expect(
      (await server.db.query(`select 1 from email_outbox where dedupe_key like 'saved-search-expiry|%'`))
        .rows,
    ).toHaveLength(1);

    advance(7);
    await publish('Zythologue confirmé H/F');
    await runJobs();
    advance(1);
    await runJobs();
    expect(await alertMails()).toEqual([]);
  });

  it('renewal extends the subscription by 3 months from now, by the button or by consulting « Mes alertes »', async () => {
    const saved = await save('Zythologue', { keywords: 'zythologue' });
    advance(60);
    const renewed = await api<SavedSearch>(`${server.url}/api/candidate/alerts/${saved.id}/renew`, {
      token,
      body: {},
    });
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.expiresAt) - Date.parse(saved.expiresAt)).toBeGreaterThan(58 * DAY);

    advance(80); // 140 days after creation: alive only thanks to the renewal
    const list = await api<{ items: SavedSearch[] }>(`${server.url}/api/candidate/alerts`, { token });
    const viewed = list.body.items[0]!;
    expect(viewed.active).toBe(true);
    expect(Date.parse(viewed.expiresAt) - clock.now().getTime()).toBeGreaterThan(88 * DAY);

    const offer = await publish('Zythologue confirmé H/F');
    await runJobs();
    const mails = await alertMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body_text).toContain(offer.id);
  });

  it('the one-click unsubscribe link stops the alert, and a forged token is refused', async () => {
    await save('Zythologue', { keywords: 'zythologue' });
    await publish('Zythologue confirmé H/F');
    await runJobs();
    const [mail] = await alertMails();
    const jeton = /jeton=([A-Za-z0-9_-]+)/.exec(mail!.body_text)![1]!;

    for (const forged of [`${jeton.slice(0, -1)}${jeton.endsWith('A') ? 'B' : 'A'}`, 'x', '', 42]) {
      const res = await api<ErrorBody>(`${server.url}/api/public/alerts/unsubscribe`, {
        body: { token: forged },
      });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain('désinscription');
    }
    const ok = await api<{ unsubscribed: boolean; name: string }>(
      `${server.url}/api/public/alerts/unsubscribe`,
      {
        body: { token: jeton },
      },
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ unsubscribed: true, name: 'Zythologue' });

    advance(1);
    await publish('Zythologue caviste H/F');
    await runJobs();
    expect(await alertMails()).toHaveLength(1);
    const list = await api<{ items: SavedSearch[] }>(`${server.url}/api/candidate/alerts`, { token });
    expect(list.body.items[0]).toMatchObject({ alertEnabled: false, active: false });
  });
});

describe('one-click unsubscribe (RFC 8058) and list headers', () => {
  const LIST_UNSUBSCRIBE =
    /^<(http:\/\/127\.0\.0\.1:\d+\/api\/public\/alerts\/unsubscribe\/([A-Za-z0-9_-]{43}))>$/;

  /** Saves a search, publishes a matching offer, runs the job and delivers the alert by SMTP. */
  async function alertByMail() {
    const saved = await save('Zythologue', { keywords: 'zythologue' });
    await publish('Zythologue confirmé H/F');
    await runJobs();
    await server.app.outbox.flush();
    const mail = await mailbox.waitFor((m) => m.subject.startsWith('Alerte « Zythologue »'));
    const match = LIST_UNSUBSCRIBE.exec(mail.headers['List-Unsubscribe'] ?? '');
    expect(match, mail.headers['List-Unsubscribe']).not.toBeNull();
    return { saved, mail, url: match![1]!, jeton: match![2]! };
  }

  async function alertEnabled(id: string): Promise<boolean> {
    const { rows } = await server.db.query<{ alert_enabled: boolean }>(
      'select alert_enabled from saved_searches where id = $1',
      [id],
    );
    return rows[0]!.alert_enabled;
  }

  const formPost = (url: string, body: string, contentType = 'application/x-www-form-urlencoded') =>
    api<{ unsubscribed: boolean; name: string } & ErrorBody>(url, {
      method: 'POST',
      rawBody: body,
      headers: { 'content-type': contentType },
    });

  it('every alert e-mail carries List-Unsubscribe (absolute one-click URL), List-Unsubscribe-Post and List-Id over SMTP', async () => {
    const { saved, mail, url, jeton } = await alertByMail();
    expect(url.startsWith(server.url)).toBe(true);
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.headers['List-Id']).toBe(`Alerte emploi <${saved.id}.alertes.127.0.0.1>`);
    // The same token as the page link of the text.
    expect(mail.text).toContain(`/alertes/desinscription?jeton=${jeton}`);
    expect(mail.text).not.toContain('en un clic');
    const { rows } = await server.db.query<{ headers: Record<string, string> }>(
      `select headers from email_outbox where dedupe_key like 'saved-search-alert|%'`,
    );
    expect(rows[0]!.headers).toEqual(mail.headers);
  });

  it('the expiry reminder carries the same headers', async () => {
    const saved = await save('Zythologue', { keywords: 'zythologue' });
    advance(86);
    await runJobs();
    await server.app.outbox.flush();
    const mail = await mailbox.waitFor((m) => m.subject.includes('s’arrête bientôt'));
    expect(mail.headers['List-Unsubscribe']).toMatch(LIST_UNSUBSCRIBE);
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.headers['List-Id']).toContain(saved.id);
  });

  it('the one-click POST (form-urlencoded) unsubscribes, twice is fine, and no alert follows', async () => {
    const { saved, url } = await alertByMail();
    const res = await formPost(url, 'List-Unsubscribe=One-Click');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ unsubscribed: true, name: 'Zythologue' });
    expect(await alertEnabled(saved.id)).toBe(false);
    expect((await formPost(url, 'List-Unsubscribe=One-Click')).status).toBe(200);

    advance(1);
    await publish('Zythologue caviste H/F');
    await runJobs();
    expect(await alertMails()).toHaveLength(1);
  });

  it('the one-click POST also accepts multipart/form-data (RFC 8058 SHOULD)', async () => {
    const { saved, url } = await alertByMail();
    const boundary = '----formdata-undici-0123456789';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="List-Unsubscribe"',
      '',
      'One-Click',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await formPost(url, body, `multipart/form-data; boundary=${boundary}`);
    expect(res.status).toBe(200);
    expect(await alertEnabled(saved.id)).toBe(false);
  });

  it('a one-click POST without List-Unsubscribe=One-Click, of another type or too long changes nothing', async () => {
    const { saved, url } = await alertByMail();
    for (const body of ['', 'List-Unsubscribe=Two-Clicks', 'foo=bar', 'list-unsubscribe=one-click']) {
      const res = await formPost(url, body);
      expect(res.status, body).toBe(400);
      expect(res.body.error.message).toContain('List-Unsubscribe=One-Click');
      expect(res.body.error.fields?.[0]?.field).toBe('List-Unsubscribe');
    }
    const noBoundary = await formPost(url, 'x', 'multipart/form-data');
    expect(noBoundary.status).toBe(400);
    const text = await formPost(url, 'List-Unsubscribe=One-Click', 'text/plain');
    expect(text.status).toBe(400);
    const xml = await formPost(url, '<List-Unsubscribe>One-Click</List-Unsubscribe>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.body.error.message).toMatch(/x-www-form-urlencoded/);
    const huge = await formPost(url, `List-Unsubscribe=One-Click&x=${'a'.repeat(10_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toMatch(/trop longue/);
    const noBody = await api<ErrorBody>(url, { method: 'POST' });
    expect(noBody.status).toBe(400);
    expect(await alertEnabled(saved.id)).toBe(true);
  });

  it('GET never unsubscribes: it names the alert, says whether it is active, and sends browsers to the page', async () => {
    const { saved, url, jeton } = await alertByMail();
    for (let i = 0; i < 3; i++) {
      const res = await api<{ name: string; active: boolean }>(url, {
        headers: { accept: 'application/json' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ name: 'Zythologue', active: true });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    // A mail scanner or a person opening the address in a browser: the page, which asks first.
    const browser = await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe(`/alertes/desinscription?jeton=${jeton}`);
    expect(await alertEnabled(saved.id)).toBe(true);

    // Once unsubscribed, GET says so.
    expect((await formPost(url, 'List-Unsubscribe=One-Click')).status).toBe(200);
    const after = await api<{ name: string; active: boolean }>(url);
    expect(after.body).toEqual({ name: 'Zythologue', active: false });
    // Re-enabled from « Mes alertes »: active again.
    await api(`${server.url}/api/candidate/alerts/${saved.id}/renew`, { token, body: {} });
    expect((await api<{ active: boolean }>(url)).body.active).toBe(true);
    // An ended subscription is not active either.
    advance(100);
    expect((await api<{ active: boolean }>(url)).body.active).toBe(false);
  });

  it('an unknown or malformed token is a French 404 on GET and POST', async () => {
    const { jeton } = await alertByMail();
    const forged = `${jeton.slice(0, -1)}${jeton.endsWith('A') ? 'B' : 'A'}`;
    for (const t of [forged, 'x', 'A'.repeat(44), `${jeton.slice(0, 42)}%2F`, '%00']) {
      const url = `${server.url}/api/public/alerts/unsubscribe/${t}`;
      const get = await api<ErrorBody>(url);
      expect(get.status, t).toBe(404);
      expect(get.body.error.message).toContain('lien de désinscription n’est pas valide');
      const post = await formPost(url, 'List-Unsubscribe=One-Click');
      expect(post.status, t).toBe(404);
      expect(post.body.error.message).toContain('lien de désinscription n’est pas valide');
    }
    const { rows } = await server.db.query<{ n: number }>(
      'select count(*)::int as n from saved_searches where not alert_enabled',
    );
    expect(rows[0]!.n).toBe(0);
  });
});
