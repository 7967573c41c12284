import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../shared/domain/account';
import type { CandidateProfile } from '../../shared/domain/candidate-profile';
import { PROFILE_DATA } from '../src/candidate/personal-data/profile';
import { clock } from '../src/clock';
import { DEMO_ACCOUNTS } from '../src/db/seed-demo';
import { makePng } from '../src/files/sample-files';
import { importRomeBuiltin } from '../src/reference/rome';
import { api, startTestServer, type TestServer } from './harness';
import { startTestMailbox, type TestMailbox } from './mail';

/** Issue 4 « Accounts and profile »: sign-up, e-mail confirmation, forgotten password, e-mail change, profile; e-mail through SMTP. */

interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

let server: TestServer;
let mail: TestMailbox;
const CANDIDATE_ID = DEMO_ACCOUNTS[5].id;
const PASSWORD = 'un-mot-de-passe-solide';

const signup = (over: Record<string, unknown> = {}) => ({
  email: 'lea.martin@exemple.fr',
  password: PASSWORD,
  firstName: 'Léa',
  lastName: 'Martin',
  city: '11069',
  acceptTerms: true,
  ...over,
});

async function register(over: Record<string, unknown> = {}) {
  const res = await api<LoginResponse>(`${server.url}/api/candidate/register`, { body: signup(over) });
  expect(res.status).toBe(201);
  return res;
}

/** Sends the outbox through SMTP and waits for the message to `to` whose subject matches. */
async function mailTo(to: string, subject: RegExp) {
  await server.app.outbox.flush();
  return mail.waitFor((m) => m.to.includes(to) && subject.test(m.subject), 5000);
}

const tokenIn = (link: string | undefined, param: string) =>
  new URL(link ?? 'http://x/').searchParams.get(param);

beforeAll(async () => {
  mail = await startTestMailbox();
  server = await startTestServer({ mailTransport: mail.transport });
  await importRomeBuiltin(server.db);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await mail?.close();
});

beforeEach(async () => {
  clock.reset();
  mail.clear();
  await server.reset();
});

describe('sign-up and e-mail confirmation', () => {
  it('creates a candidate account, signs it in, and confirms the address from the e-mailed link', async () => {
    const res = await register();
    expect(res.body.user).toMatchObject({
      email: 'lea.martin@exemple.fr',
      kind: 'candidate',
      firstName: 'Léa',
      emailConfirmed: false,
    });
    expect(res.headers.get('set-cookie')).toMatch(/session=/);
    const token = res.body.token;

    // The city became the profile's commune.
    const profile = await api<{ profile: CandidateProfile }>(`${server.url}/api/candidate/profile`, {
      token,
    });
    expect(profile.body.profile.address).toMatchObject({ communeCode: '11069', communeName: 'Carcassonne' });
    expect(profile.body.profile.address?.lat).toBeGreaterThan(43);

    const m = await mailTo('lea.martin@exemple.fr', /Confirmez votre adresse/);
    expect(m.from).toContain('Emploi Territoires');
    const link = m.links.find((l) => l.includes('/confirmer-email?jeton='));
    expect(link).toBeDefined();
    const confirmed = await api<{ emailConfirmed: boolean }>(
      `${server.url}/api/candidate/email-confirmation`,
      {
        body: { token: tokenIn(link, 'jeton') },
      },
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.emailConfirmed).toBe(true);
    const me = await api<{ user: { emailConfirmed: boolean } }>(`${server.url}/api/auth/me`, { token });
    expect(me.body.user.emailConfirmed).toBe(true);
    // The link may be opened twice.
    const again = await api(`${server.url}/api/candidate/email-confirmation`, {
      body: { token: tokenIn(link, 'jeton') },
    });
    expect(again.status).toBe(200);
  });

  it('refuses a bad sign-up, naming every field, and writes nothing', async () => {
    const res = await api<ErrorBody>(`${server.url}/api/candidate/register`, {
      body: {
        email: 'pas-un-email',
        password: 'court',
        firstName: '',
        lastName: 'X',
        city: '99999',
        acceptTerms: false,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.field).sort()).toEqual([
      'acceptTerms',
      'city',
      'email',
      'firstName',
      'password',
    ]);
    expect(res.body.error.fields?.find((f) => f.field === 'password')?.message).toContain('10 caractères');
    const unknownCity = await api<ErrorBody>(`${server.url}/api/candidate/register`, {
      body: signup({ city: '99999' }),
    });
    expect(unknownCity.status).toBe(400);
    expect(unknownCity.body.error.fields).toEqual([
      { field: 'city', message: expect.stringContaining('Ville inconnue') },
    ]);
    const { rows } = await server.db.query("select 1 from accounts where email like '%exemple.fr'");
    expect(rows).toHaveLength(0);
    for (const body of [null, [], 'texte']) {
      const r = await api(`${server.url}/api/candidate/register`, { rawBody: JSON.stringify(body) });
      expect(r.status).toBe(400);
    }
  });

  it('refuses a second account with the same address, whatever its case', async () => {
    await register();
    const res = await api<ErrorBody>(`${server.url}/api/candidate/register`, {
      body: signup({ email: 'Lea.Martin@Exemple.fr' }),
    });
    expect(res.status).toBe(409);
    expect(res.body.error.fields?.[0]?.field).toBe('email');
  });

  it('re-sends the link on demand (limited), and an expired link is refused with a clear message', async () => {
    const { body } = await register();
    const first = await mailTo('lea.martin@exemple.fr', /Confirmez/);
    clock.advance(49 * 3600_000);
    const expired = await api<ErrorBody>(`${server.url}/api/candidate/email-confirmation`, {
      body: { token: tokenIn(first.links[0], 'jeton') },
    });
    expect(expired.status).toBe(410);
    expect(expired.body.error.message).toContain('Renvoyer le lien');

    mail.clear();
    const resend = await api(`${server.url}/api/candidate/email-confirmation/resend`, {
      method: 'POST',
      token: body.token,
      body: {},
    });
    expect(resend.status).toBe(202);
    const second = await mailTo('lea.martin@exemple.fr', /Confirmez/);
    const ok = await api(`${server.url}/api/candidate/email-confirmation`, {
      body: { token: tokenIn(second.links[0], 'jeton') },
    });
    expect(ok.status).toBe(200);
    const done = await api<ErrorBody>(`${server.url}/api/candidate/email-confirmation/resend`, {
      token: body.token,
      body: {},
    });
    expect(done.status).toBe(409);
  });

  it('caps the re-sent links per hour', async () => {
    const { body } = await register();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await api(`${server.url}/api/candidate/email-confirmation/resend`, { token: body.token, body: {} }))
          .status,
      );
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
  });

  it('refuses a malformed or unknown confirmation token', async () => {
    expect(
      (await api(`${server.url}/api/candidate/email-confirmation`, { body: { token: 'x' } })).status,
    ).toBe(400);
    expect(
      (await api(`${server.url}/api/candidate/email-confirmation`, { body: { token: 'a'.repeat(43) } }))
        .status,
    ).toBe(404);
  });

  it('says recruiters are confirmed, and the demo candidate too', async () => {
    const recruiter = await server.login('recruteur1@demo.test');
    const me = await api<{ user: { emailConfirmed: boolean } }>(`${server.url}/api/auth/me`, {
      token: recruiter,
    });
    expect(me.body.user.emailConfirmed).toBe(true);
    const candidate = await server.login('candidat@demo.test');
    const me2 = await api<{ user: { emailConfirmed: boolean } }>(`${server.url}/api/auth/me`, {
      token: candidate,
    });
    expect(me2.body.user.emailConfirmed).toBe(true);
  });
});

describe('forgotten password', () => {
  it('e-mails a single-use link that sets the password and closes the other sessions', async () => {
    const { body } = await register();
    const oldSession = body.token;
    const req = await api<{ message: string }>(`${server.url}/api/candidate/password-reset/request`, {
      body: { email: 'LEA.MARTIN@exemple.fr' },
    });
    expect(req.status).toBe(202);
    const m = await mailTo('lea.martin@exemple.fr', /nouveau mot de passe/);
    const token = tokenIn(
      m.links.find((l) => l.includes('/nouveau-mot-de-passe?jeton=')),
      'jeton',
    );
    expect(token).toBeTruthy();

    const short = await api<ErrorBody>(`${server.url}/api/candidate/password-reset`, {
      body: { token, password: 'court' },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.fields?.[0]?.field).toBe('password');

    const done = await api<LoginResponse>(`${server.url}/api/candidate/password-reset`, {
      body: { token, password: 'un-tout-nouveau-mot-de-passe' },
    });
    expect(done.status).toBe(200);
    expect(done.body.user.email).toBe('lea.martin@exemple.fr');
    // The link came to the address: it counts as confirmed.
    expect(done.body.user.emailConfirmed).toBe(true);
    // The other sessions were closed as revoked (a workstation holding one wipes its copy).
    const old = await api<ErrorBody>(`${server.url}/api/auth/me`, { token: oldSession });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('session-revoked');
    expect((await api(`${server.url}/api/auth/me`, { token: done.body.token })).status).toBe(200);
    const login = await api(`${server.url}/api/auth/login`, {
      body: { email: 'lea.martin@exemple.fr', password: 'un-tout-nouveau-mot-de-passe' },
    });
    expect(login.status).toBe(200);
    const reused = await api<ErrorBody>(`${server.url}/api/candidate/password-reset`, {
      body: { token, password: 'encore-un-autre-mot-de-passe' },
    });
    expect(reused.status).toBe(410);
    await mailTo('lea.martin@exemple.fr', /a été modifié/);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const res = await api<{ message: string }>(`${server.url}/api/candidate/password-reset/request`, {
      body: { email: 'personne@exemple.fr' },
    });
    expect(res.status).toBe(202);
    const known = await api<{ message: string }>(`${server.url}/api/candidate/password-reset/request`, {
      body: { email: 'candidat@demo.test' },
    });
    expect(known.body).toEqual(res.body);
    await server.app.outbox.flush();
    await mail.waitFor((m) => m.to.includes('candidat@demo.test'));
    expect(mail.messagesTo('personne@exemple.fr')).toEqual([]);
    const bad = await api<ErrorBody>(`${server.url}/api/candidate/password-reset/request`, {
      body: { email: 42 },
    });
    expect(bad.status).toBe(400);
  });

  it('works for a recruiter account too, and limits the links per address', async () => {
    for (let i = 0; i < 5; i++)
      expect(
        (
          await api(`${server.url}/api/candidate/password-reset/request`, {
            body: { email: 'recruteur1@demo.test' },
          })
        ).status,
      ).toBe(202);
    await server.app.outbox.flush();
    await mail.waitFor((m) => m.to.includes('recruteur1@demo.test'));
    const { rows } = await server.db.query<{ n: number }>(
      "select count(*)::int as n from email_outbox where to_address = 'recruteur1@demo.test'",
    );
    expect(rows[0]?.n).toBe(3);
  });

  it('refuses an expired link', async () => {
    await api(`${server.url}/api/candidate/password-reset/request`, {
      body: { email: 'candidat@demo.test' },
    });
    const m = await mailTo('candidat@demo.test', /nouveau mot de passe/);
    clock.advance(61 * 60_000);
    const res = await api<ErrorBody>(`${server.url}/api/candidate/password-reset`, {
      body: { token: tokenIn(m.links[0], 'jeton'), password: 'un-tout-nouveau-mot-de-passe' },
    });
    expect(res.status).toBe(410);
    expect(res.body.error.message).toContain('expiré');
  });
});

describe('change of e-mail', () => {
  it('sends a candidate a link to the portal, not to the workstation', async () => {
    const token = await server.login('candidat@demo.test');
    const res = await api(`${server.url}/api/account/email`, {
      token,
      body: { newEmail: 'thomas.garcia@exemple.fr', password: 'demo-demo-demo' },
    });
    expect(res.status).toBe(202);
    const m = await mailTo('thomas.garcia@exemple.fr', /nouvelle adresse/);
    const link = m.links.find((l) => l.includes('/mon-compte/parametres?changement-email='));
    expect(link).toBeDefined();
    const confirm = await api<{ email: string }>(`${server.url}/api/account/email/confirm`, {
      body: { token: tokenIn(link, 'changement-email') },
    });
    expect(confirm.status).toBe(200);
    await server.login('thomas.garcia@exemple.fr');
  });
});

describe('profile and search preferences', () => {
  const full = (photo: string | null = null) => ({
    civility: 'madame',
    firstName: 'Léa',
    lastName: 'Martin-Durand',
    phone: '06 12 34 56 78',
    showPhone: true,
    rqth: 'en_cours',
    address: { street: '3 rue Victor Hugo', postalCode: '11000', communeCode: '11069' },
    qualification: 'employe_qualifie',
    domains: ['D', 'G'],
    jobTitle: 'Vendeuse en boulangerie',
    situation: 'en_poste',
    availability: 'a_partir_du',
    availableFrom: '2027-03-01',
    photo,
    strengths: 'Accueil, caisse',
    search: {
      contractTypes: ['CDI'],
      qualifications: ['employe_qualifie'],
      domains: ['D'],
      appellations: [{ code: '11573' }],
      maxDistanceKm: 25,
      adjustments: true,
      freeText: 'Temps plein',
    },
  });

  it('saves every field, fills the commune from the referential and the account names', async () => {
    const { body } = await register();
    const png = makePng();
    const up = await fetch(`${server.url}/api/candidate/files?purpose=photo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${body.token}`, 'content-type': 'application/octet-stream' },
      body: png,
    });
    expect([200, 201]).toContain(up.status);
    const { sha256 } = (await up.json()) as { sha256: string };

    const put = await api<{ profile: CandidateProfile; user: { lastName: string } }>(
      `${server.url}/api/candidate/profile`,
      { method: 'PUT', token: body.token, body: full(sha256) },
    );
    expect(put.status).toBe(200);
    expect(put.body.user.lastName).toBe('Martin-Durand');
    const got = await api<{ profile: CandidateProfile }>(`${server.url}/api/candidate/profile`, {
      token: body.token,
    });
    expect(got.body.profile).toMatchObject({
      civility: 'madame',
      lastName: 'Martin-Durand',
      showPhone: true,
      rqth: 'en_cours',
      address: {
        street: '3 rue Victor Hugo',
        postalCode: '11000',
        communeCode: '11069',
        communeName: 'Carcassonne',
      },
      domains: ['D', 'G'],
      availability: 'a_partir_du',
      availableFrom: '2027-03-01',
      photo: sha256,
      search: {
        appellations: [{ code: '11573', label: 'Boulanger / Boulangère', romeCode: 'D1102' }],
        maxDistanceKm: 25,
        adjustments: true,
      },
    });
    const { rows } = await server.db.query<{ commune_code: string; lat: number }>(
      'select commune_code, lat from candidate_profiles where account_id = $1',
      [put.body.profile ? body.user.id : ''],
    );
    expect(rows[0]?.commune_code).toBe('11069');
    expect(rows[0]?.lat).toBeGreaterThan(43);
  });

  it('refuses bad values naming the fields, and keeps the saved profile', async () => {
    const { body } = await register();
    const res = await api<ErrorBody>(`${server.url}/api/candidate/profile`, {
      method: 'PUT',
      token: body.token,
      body: {
        ...full('b'.repeat(64)),
        address: { street: '', postalCode: '75001', communeCode: '11069' },
        search: { ...full().search, appellations: [{ code: '99999999' }], contractTypes: ['CDI', 'X'] },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.field).sort()).toEqual([
      'address.postalCode',
      'photo',
      'search.appellations',
      'search.contractTypes',
    ]);
    const got = await api<{ profile: CandidateProfile }>(`${server.url}/api/candidate/profile`, {
      token: body.token,
    });
    expect(got.body.profile.lastName).toBe('Martin');
    expect(got.body.profile.search.contractTypes).toEqual([]);
  });

  it('is for candidates only', async () => {
    expect((await api(`${server.url}/api/candidate/profile`)).status).toBe(401);
    const recruiter = await server.login('recruteur1@demo.test');
    expect((await api(`${server.url}/api/candidate/profile`, { token: recruiter })).status).toBe(403);
  });

  it('has the demo profile of Thomas Garcia', async () => {
    const token = await server.login('candidat@demo.test');
    const got = await api<{ profile: CandidateProfile }>(`${server.url}/api/candidate/profile`, { token });
    expect(got.body.profile).toMatchObject({
      firstName: 'Thomas',
      lastName: 'Garcia',
      address: { communeCode: '11069' },
      search: { contractTypes: ['CDI', 'CDD'] },
    });
  });
});

describe('personal data (RGPD step « profil »)', () => {
  it('exports the account and profile, and erases the profile, tokens, sessions and queued e-mails', async () => {
    const { body } = await register();
    const id = body.user.id;
    await api(`${server.url}/api/candidate/password-reset/request`, {
      body: { email: 'lea.martin@exemple.fr' },
    });
    const exported = await PROFILE_DATA.exportData(server.db, id);
    expect(exported.data).toMatchObject({
      compte: { email: 'lea.martin@exemple.fr' },
      profil: { firstName: 'Léa', address: { communeCode: '11069' } },
    });
    await server.db.transaction((tx) => PROFILE_DATA.erase(tx, server.app.engine, id));
    for (const table of ['candidate_profiles', 'email_confirmations', 'password_resets', 'sessions']) {
      const { rows } = await server.db.query(`select 1 from ${table} where account_id = $1`, [id]);
      expect(rows, table).toHaveLength(0);
    }
    const { rows } = await server.db.query(
      "select 1 from email_outbox where to_address = 'lea.martin@exemple.fr'",
    );
    expect(rows).toHaveLength(0);
    // The demo candidate is untouched.
    const demo = await server.db.query('select 1 from candidate_profiles where account_id = $1', [
      CANDIDATE_ID,
    ]);
    expect(demo.rows).toHaveLength(1);
  });
});
