import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OfferDoc } from '../../shared/schemas/offer.schema';
import { createSession } from '../src/auth/sessions';
import { pdfPages } from '../src/candidate/cv-pdf-sample';
import { CV_SENDS_PER_DAY, SEND_MESSAGES } from '../src/candidate/cv-send';
import { DEMO_CV_IDS } from '../src/candidate/demo-cvs';
import { NO_TARGET_MESSAGE } from '../src/candidate/matching';
import { clock } from '../src/clock';
import { offersCollection } from '../src/domain/offers';
import { type SmtpCatcher, startSmtpCatcher } from '../src/email/dev-mailbox';
import { toEml } from '../src/email/outbox';
import { type SmtpTransport, smtpTransport } from '../src/email/smtp';
import type { Doc } from '../src/sync/types';
import { api, startTestServer, type TestServer } from './harness';

/**
 * Issue 4, CVs: « Mise en page » (three layouts, expérience or formation first), « Visualiser /
 * Imprimer », « Envoyer par courriel », « Rechercher des offres pour ce CV » (seed 002).
 */

const CV = DEMO_CV_IDS.published;
let server: TestServer;
let catcher: SmtpCatcher;
let transport: SmtpTransport;
let mailDir: string;
let candidate: string;

interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

beforeAll(async () => {
  mailDir = mkdtempSync(join(tmpdir(), 'cv-send-mail-'));
  catcher = await startSmtpCatcher({ dir: mailDir });
  transport = smtpTransport(catcher.smtpUrl);
  server = await startTestServer({ mailTransport: transport });
  candidate = await server.login('candidat@demo.test');
});

afterAll(async () => {
  await server?.stop();
  transport?.close();
  await catcher?.close();
  if (mailDir) rmSync(mailDir, { recursive: true, force: true });
});

afterEach(() => clock.reset());

async function getPdf(path: string, token?: string) {
  const res = await fetch(`${server.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Publishes a baker's offer in Carcassonne now, as the server itself writes it. */
async function publish(title: string, overrides: Partial<OfferDoc> = {}): Promise<OfferDoc> {
  const now = clock.now().toISOString();
  const doc = {
    id: randomUUID(),
    organisationId: '0b0e0000-0000-4000-8000-000000000001',
    title,
    jobTitle: title,
    romeCode: 'D1102',
    city: 'Carcassonne',
    postalCode: '11000',
    communeCode: '11069',
    latitude: 43.2135,
    longitude: 2.3516,
    companyName: 'Boulangerie des Pentes',
    contactPhone: '04 72 00 00 00',
    seasonal: false,
    contractTypes: ['CDI'],
    workingTime: 'temps_plein',
    description: 'Fabrication du pain et des viennoiseries.',
    status: 'publiee',
    number: `${String(Math.floor(Math.random() * 900000) + 100000)}Y`,
    authorId: '0a0c0000-0000-4000-8000-000000000001',
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
    expiresAt: new Date(Date.parse(now) + 60 * 24 * 3600 * 1000).toISOString(),
    ...overrides,
  } as OfferDoc;
  await server.db.transaction((tx) =>
    server.app.engine.write(tx, offersCollection, doc as unknown as Doc, false),
  );
  return doc;
}

const flat = (pages: string[]) => pages.join('\n').replace(/\s+/g, ' ');

/** A second candidate (own session), e-mail confirmed or not. */
async function otherCandidate(confirmed = true): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
     values ($1, $2, 'not-a-hash', 'candidate', 'Léa', 'Martin', $3)`,
    [id, `lea-${id}@exemple.fr`, confirmed ? new Date() : null],
  );
  return { id, token: await createSession(server.db, id) };
}

describe('GET /api/candidate/cvs/:id/pdf', () => {
  it('gives the owner their CV as a PDF named after them, in each layout and order', async () => {
    for (const layout of ['classique', 'moderne', 'compact']) {
      for (const order of ['experience', 'formation']) {
        const res = await getPdf(
          `/api/candidate/cvs/${CV}/pdf?mise-en-page=${layout}&ordre=${order}`,
          candidate,
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/pdf');
        expect(res.headers.get('content-disposition')).toBe('attachment; filename="CV-Thomas-Garcia.pdf"');
        const text = flat(await pdfPages(res.bytes)).toLowerCase();
        expect(text).toContain('thomas garcia');
        expect(text).toContain('boulanger confirmé, pain de tradition');
        expect(text).toContain('candidat@demo.test');
        const exp = text.indexOf('expériences professionnelles');
        const training = text.indexOf('formations et diplômes');
        expect(exp).toBeGreaterThan(-1);
        expect(training).toBeGreaterThan(-1);
        expect(order === 'experience' ? exp < training : training < exp, `${layout}/${order}`).toBe(true);
      }
    }
  });

  it('defaults to the classic layout, experience first', async () => {
    const res = await getPdf(`/api/candidate/cvs/${CV}/pdf`, candidate);
    expect(res.status).toBe(200);
    const text = flat(await pdfPages(res.bytes)).toLowerCase();
    expect(text.indexOf('expériences professionnelles')).toBeLessThan(text.indexOf('formations et diplômes'));
  });

  it('refuses unknown options with French messages naming them', async () => {
    const res = await api<ErrorBody>(
      `${server.url}/api/candidate/cvs/${CV}/pdf?mise-en-page=rose&ordre=alpha`,
      {
        token: candidate,
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.field)).toEqual(['mise-en-page', 'ordre']);
    expect(res.body.error.message).toContain('Mise en page inconnue');
  });

  it('is the owner’s only: 404 for another candidate or an unknown id, 401 without a session, 403 for a recruiter', async () => {
    const other = await otherCandidate();
    expect((await getPdf(`/api/candidate/cvs/${CV}/pdf`, other.token)).status).toBe(404);
    expect((await getPdf(`/api/candidate/cvs/${randomUUID()}/pdf`, candidate)).status).toBe(404);
    expect((await getPdf('/api/candidate/cvs/pas-un-id/pdf', candidate)).status).toBe(404);
    expect((await getPdf(`/api/candidate/cvs/${CV}/pdf`)).status).toBe(401);
    const recruiter = await server.login('recruteur1@demo.test');
    expect((await getPdf(`/api/candidate/cvs/${CV}/pdf`, recruiter)).status).toBe(403);
  });
});

describe('POST /api/candidate/cvs/:id/send', () => {
  const body = {
    to: 'recrutement@boulangerie-exemple.fr',
    cc: 'copie1@exemple.fr, Copie2@Exemple.fr',
    subject: 'Candidature offre 100001A',
    message: 'Madame, Monsieur,\n\nveuillez trouver mon CV ci-joint.\n\nCordialement,\nThomas Garcia',
    layout: 'moderne',
    order: 'formation',
  };

  it('sends the CV as a PDF attachment to the recipient and the copies, replies going to the candidate', async () => {
    catcher.clear();
    const res = await api<{ to: string; cc: string[]; filename: string; left: number }>(
      `${server.url}/api/candidate/cvs/${CV}/send`,
      { token: candidate, body },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      to: 'recrutement@boulangerie-exemple.fr',
      cc: ['copie1@exemple.fr', 'copie2@exemple.fr'],
      filename: 'CV-Thomas-Garcia.pdf',
      left: CV_SENDS_PER_DAY - 1,
    });
    expect(await server.app.outbox.flush()).toBeGreaterThanOrEqual(1);
    const received = await catcher.waitFor((m) => m.subject === body.subject, 5000);
    expect(received.to.sort()).toEqual([
      'copie1@exemple.fr',
      'copie2@exemple.fr',
      'recrutement@boulangerie-exemple.fr',
    ]);
    expect(received.text).toContain('veuillez trouver mon CV ci-joint');
    expect(received.text).toContain('candidat@demo.test');

    // The message as it arrived over SMTP: headers and the attached PDF.
    const file = readdirSync(mailDir).find((f) => f.includes(received.id));
    expect(file).toBeTruthy();
    const parsed = await simpleParser(readFileSync(join(mailDir, file!)));
    expect(parsed.replyTo?.text).toBe('candidat@demo.test');
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.text : '').toBe(
      'copie1@exemple.fr, copie2@exemple.fr',
    );
    expect(parsed.attachments).toHaveLength(1);
    const attachment = parsed.attachments[0]!;
    expect(attachment.filename).toBe('CV-Thomas-Garcia.pdf');
    expect(attachment.contentType).toBe('application/pdf');
    const text = flat(await pdfPages(new Uint8Array(attachment.content))).toLowerCase();
    expect(text.indexOf('formations et diplômes')).toBeLessThan(text.indexOf('expériences professionnelles'));

    // Sent: the attachment is no longer kept in the outbox; the send is in the candidate's log.
    const { rows } = await server.db.query<{ attachments: unknown; sent_at: Date | null }>(
      `select attachments, sent_at from email_outbox where subject = $1`,
      [body.subject],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sent_at).not.toBeNull();
    expect(rows[0]!.attachments).toBeNull();
    const log = await api<{
      items: { to: string; subject: string; layout: string; order: string }[];
      left: number;
    }>(`${server.url}/api/candidate/cv-sends`, { token: candidate });
    expect(log.body.items[0]).toMatchObject({
      to: body.to,
      subject: body.subject,
      layout: 'Moderne',
      order: 'Formation en premier',
    });
    expect(log.body.left).toBe(CV_SENDS_PER_DAY - 1);
  });

  it('writes the attachment, copies and reply address in the .eml of the file transport too', async () => {
    const pdfBytes = new Uint8Array(Buffer.from('%PDF-1.4\n%ée\n%%EOF\n', 'latin1'));
    const eml = toEml({
      id: '42',
      to: 'rh@exemple.fr',
      cc: ['a@exemple.fr', 'b@exemple.fr'],
      replyTo: 'candidat@demo.test',
      subject: 'Candidature – boulanger',
      text: 'Bonjour,\nvoici mon CV.',
      createdAt: new Date('2026-01-02T03:04:05Z'),
      attachments: [{ filename: 'CV-Thomas-Garcia.pdf', contentType: 'application/pdf', content: pdfBytes }],
    });
    const parsed = await simpleParser(Buffer.from(eml, 'utf8'));
    expect(parsed.subject).toBe('Candidature – boulanger');
    expect(parsed.text?.trim()).toBe('Bonjour,\nvoici mon CV.');
    expect(parsed.replyTo?.text).toBe('candidat@demo.test');
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.text : '').toBe('a@exemple.fr, b@exemple.fr');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['CV-Thomas-Garcia.pdf', 'application/pdf'],
    ]);
    expect(new Uint8Array(parsed.attachments[0]!.content)).toEqual(pdfBytes);
  });

  it('names every field at fault, and sends nothing', async () => {
    await server.reset();
    candidate = await server.login('candidat@demo.test');
    const res = await api<ErrorBody>(`${server.url}/api/candidate/cvs/${CV}/send`, {
      token: candidate,
      body: {
        to: 'pas-une-adresse',
        cc: 'a@b.fr, nimporte',
        subject: '',
        message: 42,
        layout: 'rose',
        order: 'x',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.field)).toEqual([
      'to',
      'cc',
      'subject',
      'message',
      'layout',
      'order',
    ]);
    expect(res.body.error.fields?.[0]?.message).toBe(SEND_MESSAGES.to);
    const tooManyCopies = await api<ErrorBody>(`${server.url}/api/candidate/cvs/${CV}/send`, {
      token: candidate,
      body: { ...body, cc: ['a@x.fr', 'b@x.fr', 'c@x.fr', 'd@x.fr', 'e@x.fr', 'f@x.fr'] },
    });
    expect(tooManyCopies.body.error.fields).toEqual([{ field: 'cc', message: SEND_MESSAGES.ccTooMany }]);
    for (const raw of ['null', '[]', '"texte"']) {
      const r = await api<ErrorBody>(`${server.url}/api/candidate/cvs/${CV}/send`, {
        token: candidate,
        rawBody: raw,
      });
      expect(r.status, raw).toBe(400);
    }
    const { rows } = await server.db.query('select 1 from email_outbox where subject = $1', [body.subject]);
    expect(rows).toHaveLength(0);
    expect((await server.db.query('select 1 from cv_sends')).rows).toHaveLength(0);
  });

  it('sends only the candidate’s own CVs, once their e-mail is confirmed', async () => {
    const other = await otherCandidate();
    const res = await api<ErrorBody>(`${server.url}/api/candidate/cvs/${CV}/send`, {
      token: other.token,
      body,
    });
    expect(res.status).toBe(404);
    const unconfirmed = await otherCandidate(false);
    const refused = await api<ErrorBody>(`${server.url}/api/candidate/cvs/${CV}/send`, {
      token: unconfirmed.token,
      body,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(SEND_MESSAGES.notConfirmed);
    expect(
      (await server.db.query('select 1 from email_outbox where subject = $1', [body.subject])).rows,
    ).toHaveLength(0);
  });

  it(`allows ${CV_SENDS_PER_DAY} sends a day, then refuses with 429 until 24 hours have passed`, async () => {
    await server.reset();
    candidate = await server.login('candidat@demo.test');
    const { rows } = await server.db.query<{ id: string }>(
      "select id::text from accounts where email = 'candidat@demo.test'",
    );
    const accountId = rows[0]!.id;
    for (let i = 0; i < CV_SENDS_PER_DAY - 1; i++)
      await server.db.query(
        `insert into cv_sends (id, account_id, cv_id, to_address, subject, layout, sort_order, sent_at)
         values ($1, $2, $3, 'x@exemple.fr', 'Envoi', 'classique', 'experience', $4)`,
        [randomUUID(), accountId, CV, clock.now()],
      );
    const last = await api<{ left: number }>(`${server.url}/api/candidate/cvs/${CV}/send`, {
      token: candidate,
      body,
    });
    expect(last.status).toBe(201);
    expect(last.body.left).toBe(0);
    const refused = await api<ErrorBody>(`${server.url}/api/candidate/cvs/${CV}/send`, {
      token: candidate,
      body,
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'too-many-requests', message: SEND_MESSAGES.tooMany });
    clock.advance(24 * 3600 * 1000 + 60_000);
    const tomorrow = await api(`${server.url}/api/candidate/cvs/${CV}/send`, { token: candidate, body });
    expect(tomorrow.status).toBe(201);
  });
});

describe('GET /api/candidate/cvs/:id/matching-offers', () => {
  interface Matching {
    cv: { id: string; title: string };
    criteria: { appellation?: string; romeCode?: string; place?: { code: string } } | null;
    searchQuery: string;
    exact: { id: string; romeCode?: string; title: string }[];
    close: { id: string }[];
    message?: string;
  }

  it('searches the offers of the CV’s target: its job, its workplaces and contracts', async () => {
    await server.reset();
    candidate = await server.login('candidat@demo.test');
    // The demo CV looks for a baker's job (D1102) in Carcassonne or Narbonne, CDI or CDD, full time.
    const narbonne = await publish('Boulanger de nuit H/F', {
      communeCode: '11262',
      city: 'Narbonne',
      postalCode: '11100',
      latitude: 43.184,
      longitude: 3.0014,
    });
    const carcassonne = await publish('Boulanger tourier H/F', { contractTypes: ['CDD'] });
    const interim = await publish('Boulanger en intérim H/F', { contractTypes: ['INTERIM'] });
    const marseille = await publish('Boulanger H/F', {
      communeCode: '13055',
      city: 'Marseille',
      postalCode: '13001',
      latitude: 43.2965,
      longitude: 5.3698,
    });
    const other = await publish('Serveur en salle H/F', { romeCode: 'G1803' });
    const res = await api<Matching>(`${server.url}/api/candidate/cvs/${CV}/matching-offers`, {
      token: candidate,
    });
    expect(res.status).toBe(200);
    expect(res.body.cv.id).toBe(CV);
    expect(res.body.criteria?.place?.code).toBe('11069');
    expect(res.body.searchQuery).toContain('commune=11069');
    const exact = res.body.exact.map((o) => o.id);
    expect(exact).toContain(narbonne.id);
    expect(exact).toContain(carcassonne.id);
    for (const id of [interim.id, marseille.id, other.id]) expect(exact).not.toContain(id);
    for (const offer of res.body.exact) expect(offer.romeCode).toBe('D1102');
    const ids = [...res.body.exact, ...res.body.close].map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Only published offers.
    const { rows } = await server.db.query<{ n: number }>(
      `select count(*)::int as n from offers where id = any($1::text[]) and (deleted or doc->>'status' <> 'publiee')`,
      [ids],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('says what is missing when the CV has no target yet', async () => {
    const { rows } = await server.db.query<{ id: string }>(
      "select id::text from accounts where email = 'candidat@demo.test'",
    );
    await server.db.query(`update candidate_cvs set doc = jsonb_set(doc, '{target}', 'null') where id = $1`, [
      DEMO_CV_IDS.draft,
    ]);
    const res = await api<Matching>(`${server.url}/api/candidate/cvs/${DEMO_CV_IDS.draft}/matching-offers`, {
      token: candidate,
    });
    expect(rows).toHaveLength(1);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ exact: [], close: [], message: NO_TARGET_MESSAGE });
  });

  it('is the owner’s only', async () => {
    const other = await otherCandidate();
    const res = await api(`${server.url}/api/candidate/cvs/${CV}/matching-offers`, { token: other.token });
    expect(res.status).toBe(404);
    expect((await api(`${server.url}/api/candidate/cvs/${CV}/matching-offers`)).status).toBe(401);
  });
});
