import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../shared/domain/account';
import type { CandidateApplication } from '../../shared/domain/application';
import type { ApplicationDoc } from '../../shared/schemas/application.schema';
import { DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { api, startTestServer, type TestServer } from './harness';

/**
 * Issue 6: a person met at a fair who later creates an account with the captured e-mail finds the
 * capture in « Mes candidatures » once the address is confirmed (by the confirmation link, or by a
 * password reset link, which confirms it too); never before, and never for a recruiter's account.
 */

type Row = ApplicationDoc & { _deleted: boolean };

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const EMAIL = 'camille.roux@exemple.test';
const PASSWORD = 'un-mot-de-passe-solide';

let server: TestServer;
let recruiter = '';
let offerId = '';

const url = (path: string) => `${server.url}${path}`;

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  await server.reset();
  recruiter = await server.login('recruteur1@demo.test');
  const { rows } = await server.db.query<{ id: string }>(
    `select id from offers where not deleted and doc->>'organisationId' = $1 and doc->>'status' = 'publiee'
      order by doc->>'number' limit 1`,
    [BAKERY],
  );
  offerId = rows[0]!.id;
});

/** A fair capture pushed from the workstation, as captures.test.ts does. */
async function captureFor(email: string): Promise<string> {
  const id = randomUUID();
  const at = new Date(Date.now() - 30 * 60_000).toISOString();
  const doc: ApplicationDoc = {
    id,
    organisationId: BAKERY,
    offerId,
    captureId: id,
    applicant: {
      firstName: 'Camille',
      lastName: 'Roux',
      email,
      jobSought: 'Vendeuse en boulangerie',
      consent: { at, text: 'J’accepte que mes données soient transmises au recruteur.' },
    },
    status: 'nouvelle',
    source: 'salon',
    history: [],
    createdAt: at,
    updatedAt: at,
  };
  const res = await api<Row[]>(url('/api/sync/applications/v0/push'), {
    token: recruiter,
    body: [{ assumedMasterState: null, newDocumentState: { ...doc, _deleted: false } }],
  });
  expect(res.status).toBe(200);
  expect(res.body).toEqual([]);
  return id;
}

async function candidateIdOf(applicationId: string): Promise<string | undefined> {
  const { rows } = await server.db.query<{ doc: ApplicationDoc }>(
    'select doc from applications where id = $1 and not deleted',
    [applicationId],
  );
  return rows[0]?.doc.candidateId;
}

/** The token of the last link to `path` e-mailed to `to`. */
async function lastLinkToken(to: string, path: string): Promise<string> {
  const { rows } = await server.db.query<{ body_text: string }>(
    'select body_text from email_outbox where lower(to_address) = lower($1) order by id desc',
    [to],
  );
  for (const r of rows) {
    const m = r.body_text.match(new RegExp(`\\S*${path}\\?jeton=\\S+`));
    if (m) return new URL(m[0]).searchParams.get('jeton') ?? '';
  }
  throw new Error(`aucun lien ${path} envoyé à ${to}`);
}

async function register(email: string): Promise<string> {
  const res = await api<LoginResponse>(url('/api/candidate/register'), {
    body: {
      email,
      password: PASSWORD,
      firstName: 'Camille',
      lastName: 'Roux',
      city: '11069',
      acceptTerms: true,
    },
  });
  expect(res.status).toBe(201);
  return res.body.token;
}

async function myApplications(token: string): Promise<CandidateApplication[]> {
  const res = await api<{ applications: CandidateApplication[] }>(url('/api/candidate/applications'), {
    token,
  });
  expect(res.status).toBe(200);
  return res.body.applications;
}

describe('claiming fair captures with a candidate account', () => {
  it('lists the capture in « Mes candidatures » once the sign-up e-mail is confirmed, not before', async () => {
    const captured = await captureFor(EMAIL.toUpperCase());
    // The follow-up e-mail invites the person to sign up with the prefilled page.
    const { rows } = await server.db.query<{ body_text: string }>(
      'select body_text from email_outbox where lower(to_address) = lower($1)',
      [EMAIL],
    );
    expect(rows[0]!.body_text).toContain('/inscription?email=');

    const token = await register(EMAIL);
    // Unconfirmed: anyone could have typed this address, so nothing is linked yet.
    expect(await candidateIdOf(captured)).toBeUndefined();
    expect(await myApplications(token)).toEqual([]);

    const confirm = await api<{ emailConfirmed: boolean }>(url('/api/candidate/email-confirmation'), {
      body: { token: await lastLinkToken(EMAIL, '/confirmer-email') },
    });
    expect(confirm.status).toBe(200);
    expect(confirm.body.emailConfirmed).toBe(true);

    const list = await myApplications(token);
    expect(list.map((a) => a.id)).toEqual([captured]);
    expect(list[0]).toMatchObject({ source: 'salon', status: 'nouvelle' });
    expect(list[0]!.offer.companyName).toBeTruthy();
    // A capture made after the confirmation is linked at once (by the capture itself).
    const later = await captureFor(EMAIL);
    expect((await myApplications(token)).map((a) => a.id).sort()).toEqual([captured, later].sort());
  });

  it('links the captures when a password reset link confirms the address', async () => {
    const token = await register(EMAIL);
    const captured = await captureFor(EMAIL);
    expect(await myApplications(token)).toEqual([]);

    const asked = await api(url('/api/candidate/password-reset/request'), { body: { email: EMAIL } });
    expect(asked.status).toBe(202);
    const reset = await api<LoginResponse>(url('/api/candidate/password-reset'), {
      body: {
        token: await lastLinkToken(EMAIL, '/nouveau-mot-de-passe'),
        password: 'un-tout-nouveau-mot-de-passe',
      },
    });
    expect(reset.status).toBe(200);
    expect(reset.body.user.emailConfirmed).toBe(true);
    expect((await myApplications(reset.body.token)).map((a) => a.id)).toEqual([captured]);
  });

  it('never links a capture to a recruiter’s account, nor another person’s captures', async () => {
    // A capture typed with a recruiter's address, and one for somebody else.
    const onRecruiter = await captureFor('recruteur2@demo.test');
    const someoneElse = await captureFor('autre.personne@exemple.test');
    const asked = await api(url('/api/candidate/password-reset/request'), {
      body: { email: 'recruteur2@demo.test' },
    });
    expect(asked.status).toBe(202);
    const reset = await api<LoginResponse>(url('/api/candidate/password-reset'), {
      body: {
        token: await lastLinkToken('recruteur2@demo.test', '/nouveau-mot-de-passe'),
        password: 'un-tout-nouveau-mot-de-passe',
      },
    });
    expect(reset.status).toBe(200);
    expect(await candidateIdOf(onRecruiter)).toBeUndefined();

    const token = await register(EMAIL);
    await api(url('/api/candidate/email-confirmation'), {
      body: { token: await lastLinkToken(EMAIL, '/confirmer-email') },
    });
    expect(await myApplications(token)).toEqual([]);
    expect(await candidateIdOf(someoneElse)).toBeUndefined();
  });
});
