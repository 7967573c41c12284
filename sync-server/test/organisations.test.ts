import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoginResponse, SessionUser } from '../../shared/domain/account';
import { SIRET_CHECKSUM_MESSAGE } from '../../shared/domain/siret';
import type { OrganisationDoc } from '../../shared/schemas/organisation.schema';
import type { ApiErrorBody } from '../../shared/sync/errors';
import type { SyncCheckpoint } from '../../shared/sync/protocol';
import { loadUser } from '../src/auth/sessions';
import { clock } from '../src/clock';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { organisationsCollection } from '../src/domain/organisations';
import { type CollectionDef, type Doc, userKeys } from '../src/sync/types';
import { api, settle, startTestServer, type TestServer } from './harness';

/** Issue 3, organisations (seeds 000, 003): creation, antennas, invitations, members, verification, account. */

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const TRANSPORT = DEMO_ORGANISATIONS.transports.id;
const MISSION_LOCALE = DEMO_ORGANISATIONS.prescripteur.id;
const R1 = DEMO_ACCOUNTS[0].id;
const PASSWORD = 'un-long-mot-de-passe';
const VALID_SIRET = '44306184100047';
const OTHER_VALID_SIRET = '35600000000048';

type OrgAnswer = { organisation: OrganisationDoc };

let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
});

beforeEach(async () => {
  clock.reset();
  await server.reset();
  for (const who of ['recruteur1', 'recruteur2', 'moderateur', 'conseiller', 'candidat', 'agence'])
    tokens[who] = await server.login(`${who}@demo.test`);
});

afterAll(async () => {
  clock.reset();
  await server?.stop();
});

const url = (path: string) => `${server.url}${path}`;

async function register(email: string, names: Partial<Record<'firstName' | 'lastName', string>> = {}) {
  const res = await api<LoginResponse>(url('/api/auth/register'), {
    body: {
      lastName: names.lastName ?? 'Durand',
      firstName: names.firstName ?? 'Paul',
      jobTitle: 'Chargé de recrutement',
      email,
      password: PASSWORD,
    },
  });
  expect(res.status).toBe(201);
  return res.body;
}

function employerBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'employer',
    subtype: 'ei',
    name: 'Jardins de Cocagne',
    siret: '443 061 841 00047',
    nafCode: '8130z',
    sizeBand: '11',
    sector: 'N',
    phone: '04 68 00 11 22',
    email: 'Contact@Jardins.test',
    address: {
      street: '1 chemin des Jardins',
      postalCode: '11000',
      city: 'Carcassonne',
      communeCode: '11069',
    },
    ...overrides,
  };
}

async function lastEmailTo(address: string) {
  const { rows } = await server.db.query<{ subject: string; body_text: string; dedupe_key: string }>(
    'select subject, body_text, dedupe_key from email_outbox where lower(to_address) = lower($1) order by id desc limit 1',
    [address],
  );
  return rows[0];
}

function tokenFrom(text: string | undefined, param: string): string {
  const m = new RegExp(`[?&]${param}=([A-Za-z0-9_-]+)`).exec(text ?? '');
  expect(m, `lien ${param} dans l’e-mail`).not.toBeNull();
  return m![1]!;
}

async function invite(token: string, organisationId: string, email: string) {
  const res = await api<{ invitation: { id: string }; organisation: OrganisationDoc }>(
    url(`/api/organisations/${organisationId}/invitations`),
    { token, body: { email } },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const mail = await lastEmailTo(email);
  return { id: res.body.invitation.id, link: tokenFrom(mail?.body_text, 'invitation'), body: res.body };
}

async function userOf(id: string): Promise<SessionUser> {
  const u = await loadUser(server.db, id);
  expect(u).not.toBeNull();
  return u!;
}

/**
 * Whether changes past this checkpoint exist but are still held back behind a transaction that has
 * not finished (a pull returns them once it has).
 */
async function hasHeldBack(user: SessionUser, collection: CollectionDef, checkpoint: SyncCheckpoint | null) {
  const cp = checkpoint ?? { txid: '0', seq: 0 };
  const { rows } = await server.db.query<{ held: boolean }>(
    `select exists (select 1 from ${collection.table} d
                     where (d.txid, d.seq) > ($1::bigint, $2::bigint) and d.keys && $3::text[])
         or exists (select 1 from sync_exits e
                     where e.collection = $4 and (e.txid, e.seq) > ($1::bigint, $2::bigint) and e.keys && $3::text[])
         as held`,
    [cp.txid, cp.seq, userKeys(user), collection.name],
  );
  return rows[0]?.held === true;
}

/** Pulls a collection straight from the engine until it is drained. */
async function pullAll(userId: string, collection: CollectionDef, from: SyncCheckpoint | null = null) {
  await settle(server.db);
  const user = await userOf(userId);
  const docs = new Map<string, Doc & { _deleted: boolean }>();
  let checkpoint = from;
  // On PostgreSQL a transaction still running anywhere on the server (another suite's database
  // included) holds recent changes back for a moment: pull until nothing is held back.
  const deadline = Date.now() + 10_000;
  for (let i = 0; i < 1000; i++) {
    const page = await server.app.engine.pull(user, collection, checkpoint, 50);
    for (const d of page.documents) docs.set(d.id, d);
    if (page.documents.length > 0) {
      checkpoint = page.checkpoint;
      continue;
    }
    if (Date.now() > deadline || !(await hasHeldBack(user, collection, checkpoint))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { docs, checkpoint };
}

async function notices(userId: string) {
  const { rows } = await server.db.query<{ doc: { title: string; message: string; documentId?: string } }>(
    `select doc from notices where doc->>'userId' = $1 and not deleted order by seq`,
    [userId],
  );
  return rows.map((r) => r.doc);
}

async function orgRow(id: string) {
  const { rows } = await server.db.query<{
    verification_state: string;
    verified: boolean;
    siret: string | null;
  }>('select verification_state, verified, siret from organisations where id = $1', [id]);
  return rows[0]!;
}

describe('creating an organisation', () => {
  it('makes the creator its administrator, starts an employer « en attente » and replicates it', async () => {
    const me = await register('fondateur@jardins.test');
    const res = await api<OrgAnswer & { user: SessionUser }>(url('/api/organisations'), {
      token: me.token,
      body: employerBody(),
    });
    expect(res.status).toBe(201);
    const org = res.body.organisation;
    expect(org).toMatchObject({
      kind: 'employer',
      name: 'Jardins de Cocagne',
      siret: VALID_SIRET,
      nafCode: '81.30Z',
      email: 'contact@jardins.test',
      verificationState: 'en_attente',
      createdBy: me.user.id,
    });
    expect(org.members).toEqual([
      expect.objectContaining({ accountId: me.user.id, role: 'admin', email: 'fondateur@jardins.test' }),
    ]);
    expect(res.body.user.memberships).toEqual([
      expect.objectContaining({ organisationId: org.id, role: 'admin', verified: false }),
    ]);
    expect(await orgRow(org.id)).toMatchObject({ verification_state: 'en_attente', verified: false });
    const pulled = await pullAll(me.user.id, organisationsCollection);
    expect(pulled.docs.get(org.id)).toMatchObject({ name: 'Jardins de Cocagne', _deleted: false });
    // Moderators see it in their replica and are told.
    const mod = await pullAll(DEMO_ACCOUNTS[4].id, organisationsCollection);
    expect(mod.docs.get(org.id)?.verificationState).toBe('en_attente');
    expect((await notices(DEMO_ACCOUNTS[4].id)).map((n) => n.title)).toContain('Organisation à vérifier');
    // Others do not.
    expect((await pullAll(R1, organisationsCollection)).docs.has(org.id)).toBe(false);
  });

  it('refuses a wrong SIRET with a clear French message on the field', async () => {
    const me = await register('siret@jardins.test');
    const bad = await api<ApiErrorBody>(url('/api/organisations'), {
      token: me.token,
      body: employerBody({ siret: '44306184100048' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toContainEqual({ field: 'siret', message: SIRET_CHECKSUM_MESSAGE });
    const short = await api<ApiErrorBody>(url('/api/organisations'), {
      token: me.token,
      body: employerBody({ siret: '1234' }),
    });
    expect(short.body.error.fields).toContainEqual({
      field: 'siret',
      message: 'Le SIRET doit compter 14 chiffres.',
    });
    const missing = await api<ApiErrorBody>(url('/api/organisations'), {
      token: me.token,
      body: employerBody({ siret: '', address: { city: 'Carcassonne' } }),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields?.map((f) => f.field)).toEqual(
      expect.arrayContaining(['siret', 'address.postalCode']),
    );
    const count = await server.db.query('select 1 from organisations where created_by = $1', [me.user.id]);
    expect(count.rows).toHaveLength(0);
  });

  it('refuses a second organisation of the same kind with a SIRET already registered', async () => {
    const me = await register('doublon@jardins.test');
    const res = await api<ApiErrorBody>(url('/api/organisations'), {
      token: me.token,
      body: employerBody({ siret: DEMO_ORGANISATIONS.boulangerie.siret }),
    });
    expect(res.status).toBe(409);
    expect(res.body.error.fields?.[0]).toMatchObject({ field: 'siret' });
    expect(res.body.error.message).toContain('Boulangeries Martin');
    // Another kind may use the same SIRET (seed 003: an employer may open a prescriber account).
    const other = await register('orienteur@jardins.test');
    const prescriber = await api(url('/api/organisations'), {
      token: other.token,
      body: employerBody({
        kind: 'prescriber',
        subtype: 'association',
        siret: DEMO_ORGANISATIONS.boulangerie.siret,
      }),
    });
    expect(prescriber.status).toBe(201);
  });

  it('refuses to make one account both prescriber and employer', async () => {
    const asEmployer = await api<ApiErrorBody>(url('/api/organisations'), {
      token: tokens.recruteur1,
      body: employerBody({ kind: 'prescriber', subtype: 'association' }),
    });
    expect(asEmployer.status).toBe(409);
    expect(asEmployer.body.error.message).toContain('à la fois prescripteur et employeur');
    const asPrescriber = await api<ApiErrorBody>(url('/api/organisations'), {
      token: tokens.conseiller,
      body: employerBody(),
    });
    expect(asPrescriber.status).toBe(409);
    // An employer may create a second employer organisation (another site).
    const second = await api(url('/api/organisations'), { token: tokens.recruteur1, body: employerBody() });
    expect(second.status).toBe(201);
  });

  it('creates antennas sharing the parent’s SIRET, only for its administrators', async () => {
    const antenna = await api<OrgAnswer>(url('/api/organisations'), {
      token: tokens.recruteur1,
      body: employerBody({
        name: 'Boulangeries Martin — Limoux',
        siret: undefined,
        kind: undefined,
        parentId: BAKERY,
      }),
    });
    expect(antenna.status).toBe(201);
    expect(antenna.body.organisation).toMatchObject({
      parentId: BAKERY,
      kind: 'employer',
      siret: DEMO_ORGANISATIONS.boulangerie.siret,
      // The parent is verified: its antenna is too.
      verificationState: 'verifiee',
    });
    const otherSiret = await api<ApiErrorBody>(url('/api/organisations'), {
      token: tokens.recruteur1,
      body: employerBody({ siret: OTHER_VALID_SIRET, parentId: BAKERY }),
    });
    expect(otherSiret.status).toBe(400);
    expect(otherSiret.body.error.fields?.map((f) => f.field)).toContain('siret');
    const stranger = await api<ApiErrorBody>(url('/api/organisations'), {
      token: tokens.recruteur2,
      body: employerBody({ siret: undefined, parentId: BAKERY }),
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.fields?.[0]?.field).toBe('parentId');
    const prescriberAntenna = await api<ApiErrorBody>(url('/api/organisations'), {
      token: tokens.conseiller,
      body: employerBody({ kind: 'prescriber', siret: undefined, parentId: MISSION_LOCALE }),
    });
    expect(prescriberAntenna.status).toBe(403);
    expect(prescriberAntenna.body.error.message).toContain('contactez la modération');
  });

  it('refuses candidates and the platform kind', async () => {
    expect(
      (await api(url('/api/organisations'), { token: tokens.candidat, body: employerBody() })).status,
    ).toBe(403);
    const me = await register('plateforme@jardins.test');
    expect(
      (await api(url('/api/organisations'), { token: me.token, body: employerBody({ kind: 'platform' }) }))
        .status,
    ).toBe(403);
    expect((await api(url('/api/organisations'), { body: employerBody() })).status).toBe(401);
  });

  it('lists the caller’s organisations', async () => {
    const res = await api<{ organisations: { organisation: OrganisationDoc; role: string }[] }>(
      url('/api/organisations/mine'),
      { token: tokens.recruteur1 },
    );
    expect(res.status).toBe(200);
    expect(res.body.organisations).toEqual([
      { organisation: expect.objectContaining({ id: BAKERY, verificationState: 'verifiee' }), role: 'admin' },
    ]);
    expect((await api(url(`/api/organisations/${TRANSPORT}`), { token: tokens.recruteur1 })).status).toBe(
      404,
    );
    expect((await api(url(`/api/organisations/${TRANSPORT}`), { token: tokens.moderateur })).status).toBe(
      200,
    );
  });
});

describe('invitations', () => {
  it('invites by e-mail; the link shows a preview and creates the account, then cannot be used again', async () => {
    const inv = await invite(tokens.recruteur1, BAKERY, 'Nouvelle@Exemple.test');
    expect(inv.body.organisation.invitations).toEqual([
      expect.objectContaining({ id: inv.id, email: 'nouvelle@exemple.test', invitedBy: R1 }),
    ]);
    const mail = await lastEmailTo('nouvelle@exemple.test');
    expect(mail?.subject).toBe('Invitation à rejoindre « Boulangeries Martin » sur Emploi Territoires');
    expect(mail?.body_text).toContain('/workstation/?invitation=');
    expect(mail?.body_text).toContain('Claire Martin vous invite');
    // The token is stored hashed only.
    const stored = await server.db.query<{ token_hash: string }>(
      'select token_hash from invitations where id = $1',
      [inv.id],
    );
    expect(stored.rows[0]!.token_hash).not.toContain(inv.link);

    const preview = await api<{ invitation: Record<string, unknown> }>(url(`/api/invitations/${inv.link}`));
    expect(preview.status).toBe(200);
    expect(preview.body.invitation).toMatchObject({
      organisationName: 'Boulangeries Martin',
      invitedBy: 'Claire Martin',
      email: 'nouvelle@exemple.test',
      status: 'valide',
      expired: false,
      accountExists: false,
    });

    const incomplete = await api<ApiErrorBody>(url(`/api/invitations/${inv.link}/accept`), {
      body: { firstName: 'Léa', password: PASSWORD },
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.fields?.map((f) => f.field).sort()).toEqual(['jobTitle', 'lastName']);

    const accepted = await api<LoginResponse & { organisation: OrganisationDoc }>(
      url(`/api/invitations/${inv.link}/accept`),
      { body: { firstName: 'Léa', lastName: 'Petit', jobTitle: 'Vendeuse', password: PASSWORD } },
    );
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ email: 'nouvelle@exemple.test', firstName: 'Léa' });
    expect(accepted.body.user.memberships).toEqual([
      expect.objectContaining({ organisationId: BAKERY, role: 'member', verified: true }),
    ]);
    expect(accepted.body.organisation.members.map((m) => m.email)).toContain('nouvelle@exemple.test');
    expect(accepted.body.organisation.invitations).toEqual([]);
    expect((await notices(R1)).map((n) => n.title)).toContain('Invitation acceptée');
    // The new account signs in and sees the organisation's offers.
    const offers = await pullAll(accepted.body.user.id, server.app.engine.collection('offers')!);
    expect(offers.docs.size).toBeGreaterThan(5);

    const again = await api<ApiErrorBody>(url(`/api/invitations/${inv.link}/accept`), {
      body: { firstName: 'Léa', lastName: 'Petit', jobTitle: 'Vendeuse', password: PASSWORD },
    });
    expect(again.status).toBe(410);
    expect(again.body.error.message).toContain('déjà été utilisée');
    const reused = await api<ApiErrorBody>(url(`/api/invitations/${inv.link}/accept`), {
      token: accepted.body.token,
      method: 'POST',
    });
    expect(reused.status).toBe(410);
    expect((await api(url('/api/invitations/ceci-n-existe-pas-du-tout-000000'))).status).toBe(404);
  });

  it('lets a signed-in account of the invited address join, and no other', async () => {
    const invited = await register('invitee@exemple.test');
    const intruder = await register('intrus@exemple.test');
    const inv = await invite(tokens.recruteur1, BAKERY, 'invitee@exemple.test');
    const preview = await api<{ invitation: { accountExists: boolean } }>(
      url(`/api/invitations/${inv.link}`),
    );
    expect(preview.body.invitation.accountExists).toBe(true);
    const wrong = await api<ApiErrorBody>(url(`/api/invitations/${inv.link}/accept`), {
      token: intruder.token,
      body: {},
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toContain('invitee@exemple.test');
    const anonymous = await api<ApiErrorBody>(url(`/api/invitations/${inv.link}/accept`), { body: {} });
    expect(anonymous.status).toBe(401);
    const ok = await api<{ user: SessionUser; alreadyMember: boolean }>(
      url(`/api/invitations/${inv.link}/accept`),
      {
        token: invited.token,
        method: 'POST',
      },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.alreadyMember).toBe(false);
    expect(ok.body.user.memberships.map((m) => m.organisationId)).toEqual([BAKERY]);
    // Sign-up through the link when the account already exists is refused.
    const inv2 = await invite(tokens.recruteur2, TRANSPORT, 'invitee@exemple.test');
    const signup = await api<ApiErrorBody>(url(`/api/invitations/${inv2.link}/accept`), {
      body: { firstName: 'A', lastName: 'B', jobTitle: 'C', password: PASSWORD },
    });
    expect(signup.status).toBe(409);
    expect(signup.body.error.code).toBe('email-taken');
  });

  it('sending again replaces the link: the old one stops working', async () => {
    const first = await invite(tokens.recruteur1, BAKERY, 'relance@exemple.test');
    const resent = await api<{ invitation: { id: string }; organisation: OrganisationDoc }>(
      url(`/api/organisations/${BAKERY}/invitations/${first.id}/resend`),
      { token: tokens.recruteur1, body: {} },
    );
    expect(resent.status).toBe(201);
    expect(resent.body.invitation.id).not.toBe(first.id);
    expect(resent.body.organisation.invitations?.map((i) => i.id)).toEqual([resent.body.invitation.id]);
    const second = tokenFrom((await lastEmailTo('relance@exemple.test'))?.body_text, 'invitation');
    expect(second).not.toBe(first.link);
    const old = await api<ApiErrorBody>(url(`/api/invitations/${first.link}/accept`), {
      body: { firstName: 'A', lastName: 'B', jobTitle: 'C', password: PASSWORD },
    });
    expect(old.status).toBe(410);
    expect(old.body.error.message).toContain('remplacée');
    expect(
      (await api<{ invitation: { status: string } }>(url(`/api/invitations/${first.link}`))).body.invitation
        .status,
    ).toBe('remplacee');
    // Inviting the same address again (POST) also replaces the pending invitation.
    const third = await invite(tokens.recruteur1, BAKERY, 'relance@exemple.test');
    expect(third.body.organisation.invitations).toHaveLength(1);
    expect(
      (await api(url(`/api/invitations/${second}/accept`), { body: { password: PASSWORD } })).status,
    ).toBe(410);
    const ok = await api(url(`/api/invitations/${third.link}/accept`), {
      body: { firstName: 'A', lastName: 'B', jobTitle: 'C', password: PASSWORD },
    });
    expect(ok.status).toBe(201);
    // A resend of an accepted invitation is refused.
    const late = await api<ApiErrorBody>(url(`/api/organisations/${BAKERY}/invitations/${third.id}/resend`), {
      token: tokens.recruteur1,
      body: {},
    });
    expect(late.status).toBe(409);
  });

  it('a cancelled invitation cannot be accepted', async () => {
    const inv = await invite(tokens.recruteur1, BAKERY, 'annule@exemple.test');
    const cancelled = await api<OrgAnswer>(url(`/api/organisations/${BAKERY}/invitations/${inv.id}`), {
      method: 'DELETE',
      token: tokens.recruteur1,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.organisation.invitations).toEqual([]);
    const res = await api<ApiErrorBody>(url(`/api/invitations/${inv.link}/accept`), {
      body: { firstName: 'A', lastName: 'B', jobTitle: 'C', password: PASSWORD },
    });
    expect(res.status).toBe(410);
    expect(res.body.error.message).toContain('annulée');
    // Only members of the organisation manage its invitations.
    const other = await invite(tokens.recruteur1, BAKERY, 'autre@exemple.test');
    expect(
      (
        await api(url(`/api/organisations/${BAKERY}/invitations/${other.id}`), {
          method: 'DELETE',
          token: tokens.recruteur2,
        })
      ).status,
    ).toBe(404);
  });

  it('an invitation expires after 7 days', async () => {
    const inv = await invite(tokens.recruteur1, BAKERY, 'tard@exemple.test');
    clock.advance(7 * 24 * 3600 * 1000 + 1000);
    const preview = await api<{ invitation: { expired: boolean; status: string } }>(
      url(`/api/invitations/${inv.link}`),
    );
    expect(preview.body.invitation).toMatchObject({ expired: true, status: 'expiree' });
    const res = await api<ApiErrorBody>(url(`/api/invitations/${inv.link}/accept`), {
      body: { firstName: 'A', lastName: 'B', jobTitle: 'C', password: PASSWORD },
    });
    expect(res.status).toBe(410);
    expect(res.body.error.message).toContain('expiré');
    clock.reset();
    // Also when the expiry date is moved in the database.
    const inv2 = await invite(tokens.recruteur1, BAKERY, 'tard2@exemple.test');
    await server.db.query("update invitations set expires_at = now() - interval '1 minute' where id = $1", [
      inv2.id,
    ]);
    expect(
      (
        await api(url(`/api/invitations/${inv2.link}/accept`), {
          body: { firstName: 'A', lastName: 'B', jobTitle: 'C', password: PASSWORD },
        })
      ).status,
    ).toBe(410);
    // Resending an expired invitation gives a new week.
    const resent = await api(url(`/api/organisations/${BAKERY}/invitations/${inv2.id}/resend`), {
      token: tokens.recruteur1,
      body: {},
    });
    expect(resent.status).toBe(201);
  });

  it('refuses bad addresses, current members, strangers and prescribers joining an employer', async () => {
    const bad = await api<ApiErrorBody>(url(`/api/organisations/${BAKERY}/invitations`), {
      token: tokens.recruteur1,
      body: { email: 'pas-une-adresse' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0]?.field).toBe('email');
    const member = await api<ApiErrorBody>(url(`/api/organisations/${BAKERY}/invitations`), {
      token: tokens.recruteur1,
      body: { email: 'RECRUTEUR1@demo.test' },
    });
    expect(member.status).toBe(409);
    const stranger = await api(url(`/api/organisations/${BAKERY}/invitations`), {
      token: tokens.recruteur2,
      body: { email: 'x@exemple.test' },
    });
    expect(stranger.status).toBe(404);
    const inv = await invite(tokens.recruteur1, BAKERY, 'conseiller@demo.test');
    const conflict = await api<ApiErrorBody>(url(`/api/invitations/${inv.link}/accept`), {
      token: tokens.conseiller,
      body: {},
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toContain('prescripteur');
    const still = await server.db.query('select accepted_at from invitations where id = $1', [inv.id]);
    expect(still.rows[0]).toEqual({ accepted_at: null });
  });

  it('any member may invite (not only administrators)', async () => {
    const inv = await invite(tokens.recruteur1, BAKERY, 'membre@exemple.test');
    const joined = await api<LoginResponse>(url(`/api/invitations/${inv.link}/accept`), {
      body: { firstName: 'M', lastName: 'Embre', jobTitle: 'Vendeur', password: PASSWORD },
    });
    const second = await invite(joined.body.token, BAKERY, 'ami@exemple.test');
    expect(second.body.organisation.invitations?.[0]?.invitedBy).toBe(joined.body.user.id);
  });
});

describe('members', () => {
  async function addMember(email: string, organisationId: string = BAKERY, by = tokens.recruteur1) {
    const inv = await invite(by, organisationId, email);
    const res = await api<LoginResponse>(url(`/api/invitations/${inv.link}/accept`), {
      body: { firstName: 'Marc', lastName: 'Employé', jobTitle: 'Vendeur', password: PASSWORD },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('administrators name administrators; the last one keeps the role', async () => {
    const m = await addMember('promu@exemple.test');
    const byMember = await api(url(`/api/organisations/${BAKERY}/members/${R1}`), {
      method: 'PUT',
      token: m.token,
      body: { role: 'member' },
    });
    expect(byMember.status).toBe(403);
    const lastAdmin = await api<ApiErrorBody>(url(`/api/organisations/${BAKERY}/members/${R1}`), {
      method: 'PUT',
      token: tokens.recruteur1,
      body: { role: 'member' },
    });
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.body.error.message).toContain('au moins un administrateur');
    const named = await api<OrgAnswer>(url(`/api/organisations/${BAKERY}/members/${m.user.id}`), {
      method: 'PUT',
      token: tokens.recruteur1,
      body: { role: 'admin' },
    });
    expect(named.status).toBe(200);
    expect(named.body.organisation.members.find((x) => x.accountId === m.user.id)?.role).toBe('admin');
    expect((await notices(m.user.id)).map((n) => n.title)).toContain('Vous êtes administrateur');
    // The session follows at once.
    const me = await api<{ user: SessionUser }>(url('/api/auth/me'), { token: m.token });
    expect(me.body.user.memberships[0]?.role).toBe('admin');
    // Now the first administrator may step down (seed 003).
    const down = await api(url(`/api/organisations/${BAKERY}/members/${R1}`), {
      method: 'PUT',
      token: tokens.recruteur1,
      body: { role: 'member' },
    });
    expect(down.status).toBe(200);
    const badRole = await api<ApiErrorBody>(url(`/api/organisations/${BAKERY}/members/${R1}`), {
      method: 'PUT',
      token: m.token,
      body: { role: 'chef' },
    });
    expect(badRole.status).toBe(400);
  });

  it('the last administrator cannot leave; a member can; only administrators remove others', async () => {
    const alone = await api<ApiErrorBody>(url(`/api/organisations/${BAKERY}/members/${R1}`), {
      method: 'DELETE',
      token: tokens.recruteur1,
    });
    expect(alone.status).toBe(409);
    expect(alone.body.error.message).toContain('seul membre');
    const m = await addMember('partant@exemple.test');
    const other = await addMember('reste@exemple.test');
    const lastAdmin = await api<ApiErrorBody>(url(`/api/organisations/${BAKERY}/members/${R1}`), {
      method: 'DELETE',
      token: tokens.recruteur1,
    });
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.body.error.message).toContain('seul administrateur');
    const notAdmin = await api(url(`/api/organisations/${BAKERY}/members/${other.user.id}`), {
      method: 'DELETE',
      token: m.token,
    });
    expect(notAdmin.status).toBe(403);
    const leave = await api<{ user: SessionUser }>(url(`/api/organisations/${BAKERY}/members/${m.user.id}`), {
      method: 'DELETE',
      token: m.token,
    });
    expect(leave.status).toBe(200);
    expect(leave.body.user.memberships).toEqual([]);
    const removed = await api<OrgAnswer>(url(`/api/organisations/${BAKERY}/members/${other.user.id}`), {
      method: 'DELETE',
      token: tokens.recruteur1,
    });
    expect(removed.status).toBe(200);
    expect(removed.body.organisation.members.map((x) => x.accountId)).toEqual([R1]);
    expect((await notices(other.user.id)).map((n) => n.title)).toContain('Retiré de l’organisation');
    const audit = await server.db.query<{ action: string }>(
      "select action from audit_log where collection = 'organisations' and document_id = $1 order by id",
      [BAKERY],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['membre-parti', 'membre-retire']),
    );
  });

  it('a removed member’s next pull removes the organisation, its offers and its profiles from the replica', async () => {
    const m = await addMember('retire@exemple.test');
    const offers = server.app.engine.collection('offers')!;
    const companies = server.app.engine.collection('companies');
    const before = await pullAll(m.user.id, offers);
    const bakeryOffers = [...before.docs.values()].filter((d) => d.organisationId === BAKERY && !d._deleted);
    expect(bakeryOffers.length).toBeGreaterThan(5);
    const orgBefore = await pullAll(m.user.id, organisationsCollection);
    expect(orgBefore.docs.get(BAKERY)?._deleted).toBe(false);
    const companiesBefore = companies ? await pullAll(m.user.id, companies) : null;

    const res = await api(url(`/api/organisations/${BAKERY}/members/${m.user.id}`), {
      method: 'DELETE',
      token: tokens.recruteur1,
    });
    expect(res.status).toBe(200);

    const after = await pullAll(m.user.id, offers, before.checkpoint);
    for (const o of bakeryOffers) expect(after.docs.get(o.id)?._deleted, o.id).toBe(true);
    // Tombstones carry no content.
    expect(after.docs.get(bakeryOffers[0]!.id)?.title).toBe('');
    const orgAfter = await pullAll(m.user.id, organisationsCollection, orgBefore.checkpoint);
    expect(orgAfter.docs.get(BAKERY)).toMatchObject({ _deleted: true, name: '' });
    if (companies && companiesBefore) {
      const mine = [...companiesBefore.docs.values()].filter((d) => d.organisationId === BAKERY);
      const companiesAfter = await pullAll(m.user.id, companies, companiesBefore.checkpoint);
      for (const c of mine) expect(companiesAfter.docs.get(c.id)?._deleted).toBe(true);
    }
    // From scratch, nothing of the organisation remains visible.
    const fresh = await pullAll(m.user.id, offers);
    expect([...fresh.docs.values()].filter((d) => !d._deleted)).toEqual([]);
    // The other members keep everything.
    const admin = await pullAll(R1, offers);
    expect([...admin.docs.values()].filter((d) => !d._deleted).length).toBe(
      [...before.docs.values()].filter((d) => !d._deleted).length,
    );
  });

  it('joining an organisation brings its data even to a replica whose checkpoint is already past it', async () => {
    // A second employer organisation created by recruteur2 has its own offers; its member's
    // replica is up to date, past the bakery's offers, when they join the bakery.
    const m = await addMember('nomade@exemple.test', TRANSPORT, tokens.recruteur2);
    const offers = server.app.engine.collection('offers')!;
    const before = await pullAll(m.user.id, offers);
    expect([...before.docs.values()].some((d) => d.organisationId === BAKERY)).toBe(false);
    const inv = await invite(tokens.recruteur1, BAKERY, 'nomade@exemple.test');
    expect((await api(url(`/api/invitations/${inv.link}/accept`), { token: m.token, body: {} })).status).toBe(
      200,
    );
    const after = await pullAll(m.user.id, offers, before.checkpoint);
    const bakery = [...after.docs.values()].filter((d) => d.organisationId === BAKERY && !d._deleted);
    const { rows } = await server.db.query<{ n: number }>(
      "select count(*)::int as n from offers where doc->>'organisationId' = $1 and not deleted",
      [BAKERY],
    );
    expect(bakery.length).toBe(rows[0]!.n);
  });
});

describe('verification by moderators', () => {
  async function pendingEmployer() {
    const me = await register('verif@jardins.test');
    const res = await api<OrgAnswer>(url('/api/organisations'), { token: me.token, body: employerBody() });
    expect(res.status).toBe(201);
    return { me, org: res.body.organisation };
  }

  it('only moderators see the queue and decide', async () => {
    const { org } = await pendingEmployer();
    expect((await api(url('/api/moderation/organisations'), { token: tokens.recruteur1 })).status).toBe(403);
    const queue = await api<{
      organisations: { organisation: OrganisationDoc; creator: { email: string } }[];
    }>(url('/api/moderation/organisations'), { token: tokens.moderateur });
    expect(queue.status).toBe(200);
    const item = queue.body.organisations.find((o) => o.organisation.id === org.id);
    expect(item?.creator).toMatchObject({ email: 'verif@jardins.test', jobTitle: 'Chargé de recrutement' });
    expect(queue.body.organisations.some((o) => o.organisation.id === BAKERY)).toBe(false);
    const byRecruiter = await api(url(`/api/moderation/organisations/${org.id}/decision`), {
      token: tokens.recruteur1,
      body: { decision: 'accepter' },
    });
    expect(byRecruiter.status).toBe(403);
    expect((await orgRow(org.id)).verification_state).toBe('en_attente');
  });

  it('asks for information with a reason; the admins are told; an edit sends it back; acceptance verifies', async () => {
    const { me, org } = await pendingEmployer();
    const noReason = await api<ApiErrorBody>(url(`/api/moderation/organisations/${org.id}/decision`), {
      token: tokens.moderateur,
      body: { decision: 'demander-informations' },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields?.[0]?.field).toBe('reason');
    const asked = await api<OrgAnswer>(url(`/api/moderation/organisations/${org.id}/decision`), {
      token: tokens.moderateur,
      body: { decision: 'demander-informations', reason: 'Merci de préciser l’adresse exacte du siège.' },
    });
    expect(asked.status).toBe(200);
    expect(asked.body.organisation).toMatchObject({
      verificationState: 'informations_demandees',
      verificationReason: 'Merci de préciser l’adresse exacte du siège.',
    });
    const told = await notices(me.user.id);
    expect(told.at(-1)).toMatchObject({ title: 'Informations demandées par la modération' });
    expect(told.at(-1)?.message).toContain('adresse exacte du siège');
    expect((await lastEmailTo('verif@jardins.test'))?.subject).toContain('Informations demandées');
    const audit = await server.db.query<{ action: string; actor_id: string }>(
      "select action, actor_id::text from audit_log where document_id = $1 and action like 'verification-%'",
      [org.id],
    );
    expect(audit.rows).toEqual([
      { action: 'verification-demander-informations', actor_id: DEMO_ACCOUNTS[4].id },
    ]);

    const edited = await api<OrgAnswer>(url(`/api/organisations/${org.id}`), {
      method: 'PUT',
      token: me.token,
      body: { address: { street: '3 place Carnot', postalCode: '11000', city: 'Carcassonne' } },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.organisation.verificationState).toBe('en_attente');
    expect(edited.body.organisation.verificationReason).toBeUndefined();

    const accepted = await api<OrgAnswer>(url(`/api/moderation/organisations/${org.id}/decision`), {
      token: tokens.moderateur,
      body: { decision: 'accepter' },
    });
    expect(accepted.status).toBe(200);
    expect(await orgRow(org.id)).toMatchObject({ verification_state: 'verifiee', verified: true });
    const session = await api<{ user: SessionUser }>(url('/api/auth/me'), { token: me.token });
    expect(session.body.user.memberships[0]).toMatchObject({ organisationId: org.id, verified: true });
    expect((await notices(me.user.id)).at(-1)?.title).toBe('Organisation vérifiée');
    // Out of the moderators' replicas once decided.
    const keys = await server.db.query<{ keys: string[] }>(
      'select keys from organisation_docs where id = $1',
      [org.id],
    );
    expect(keys.rows[0]!.keys).toEqual([`org:${org.id}`]);
    const again = await api(url(`/api/moderation/organisations/${org.id}/decision`), {
      token: tokens.moderateur,
      body: { decision: 'accepter' },
    });
    expect(again.status).toBe(409);
  });

  it('refuses with a reason; a verified employer that changes its SIRET is verified again', async () => {
    const { org } = await pendingEmployer();
    const refused = await api<OrgAnswer>(url(`/api/moderation/organisations/${org.id}/decision`), {
      token: tokens.moderateur,
      body: { decision: 'refuser', reason: 'SIRET sans rapport avec le nom déclaré.' },
    });
    expect(refused.body.organisation).toMatchObject({ verificationState: 'refusee' });
    expect(await orgRow(org.id)).toMatchObject({ verified: false });

    const changed = await api<OrgAnswer>(url(`/api/organisations/${BAKERY}`), {
      method: 'PUT',
      token: tokens.recruteur1,
      body: { siret: OTHER_VALID_SIRET },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.organisation).toMatchObject({
      siret: OTHER_VALID_SIRET,
      verificationState: 'en_attente',
    });
    expect(await orgRow(BAKERY)).toMatchObject({ verified: false });
    expect((await notices(R1)).at(-1)?.title).toBe('Organisation renvoyée en vérification');
    // A rename keeps the verification of a verified organisation; moderators are told.
    const renamed = await api<OrgAnswer>(url(`/api/organisations/${TRANSPORT}`), {
      method: 'PUT',
      token: tokens.recruteur2,
      body: { name: 'Transports Garonne et fils' },
    });
    expect(renamed.body.organisation).toMatchObject({
      name: 'Transports Garonne et fils',
      verificationState: 'verifiee',
    });
    expect((await notices(DEMO_ACCOUNTS[4].id)).map((n) => n.title)).toContain('Organisation renommée');
  });
});

describe('identity edits', () => {
  it('only administrators edit, with French field errors', async () => {
    const badSiret = await api<ApiErrorBody>(url(`/api/organisations/${BAKERY}`), {
      method: 'PUT',
      token: tokens.recruteur1,
      body: { siret: '73282932000075', phone: 'abc' },
    });
    expect(badSiret.status).toBe(400);
    expect(badSiret.body.error.fields).toEqual(
      expect.arrayContaining([
        { field: 'siret', message: SIRET_CHECKSUM_MESSAGE },
        expect.objectContaining({ field: 'phone' }),
      ]),
    );
    expect((await orgRow(BAKERY)).siret).toBe(DEMO_ORGANISATIONS.boulangerie.siret);
    const stranger = await api(url(`/api/organisations/${BAKERY}`), {
      method: 'PUT',
      token: tokens.recruteur2,
      body: { name: 'Piratée' },
    });
    expect(stranger.status).toBe(404);
  });

  it('by push: an administrator’s edit is written, server-owned fields come from the master', async () => {
    const pushUrl = url(`/api/sync/organisations/v${organisationsCollection.version}/push`);
    const master = (await pullAll(R1, organisationsCollection)).docs.get(BAKERY)!;
    const { _deleted, ...assumed } = master;
    const edited = {
      ...assumed,
      name: 'Boulangeries Martin & Cie',
      verificationState: 'verifiee',
      members: [
        ...(assumed.members as unknown[]),
        { accountId: 'x', firstName: 'X', lastName: 'Y', email: 'x@y.z', role: 'admin', joinedAt: 'now' },
      ],
    };
    const res = await api<unknown[]>(pushUrl, {
      token: tokens.recruteur1,
      body: [{ assumedMasterState: master, newDocumentState: { ...edited, _deleted: false } }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    const now = (await pullAll(R1, organisationsCollection)).docs.get(BAKERY)!;
    expect(now.name).toBe('Boulangeries Martin & Cie');
    expect(now.members).toEqual(master.members);

    // A plain member's push is refused with a notice and answered with the master.
    const m = await register('simple@exemple.test');
    const inv = await invite(tokens.recruteur1, BAKERY, 'simple@exemple.test');
    await api(url(`/api/invitations/${inv.link}/accept`), { token: m.token, body: {} });
    const current = (await pullAll(m.user.id, organisationsCollection)).docs.get(BAKERY)!;
    const refused = await api<{ name: string }[]>(pushUrl, {
      token: m.token,
      body: [{ assumedMasterState: current, newDocumentState: { ...current, name: 'Autre nom' } }],
    });
    expect(refused.body[0]?.name).toBe(current.name);
    expect((await notices(m.user.id)).at(-1)?.message).toContain('administrateurs');
    // Creation by push is refused.
    const created = await api<{ _deleted: boolean }[]>(pushUrl, {
      token: tokens.recruteur1,
      body: [
        { newDocumentState: { ...current, id: '0b0e0000-0000-4000-8000-0000000000ff', _deleted: false } },
      ],
    });
    expect(created.body[0]?._deleted).toBe(true);
  });
});

describe('account settings', () => {
  it('edits nom, prénom, poste; member lists follow', async () => {
    const empty = await api<ApiErrorBody>(url('/api/account'), {
      method: 'PUT',
      token: tokens.recruteur1,
      body: { firstName: '', lastName: 'Martin', jobTitle: 'Gérante' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toEqual([{ field: 'firstName', message: 'Le prénom est obligatoire.' }]);
    const res = await api<{ user: SessionUser }>(url('/api/account'), {
      method: 'PUT',
      token: tokens.recruteur1,
      body: { firstName: 'Clara', lastName: 'Martin', jobTitle: 'Gérante' },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ firstName: 'Clara', jobTitle: 'Gérante' });
    const doc = (await pullAll(R1, organisationsCollection)).docs.get(BAKERY)!;
    expect(doc.members).toEqual([expect.objectContaining({ firstName: 'Clara', jobTitle: 'Gérante' })]);
    const view = await api<{ account: { firstName: string }; organisations: { siret: string }[] }>(
      url('/api/account'),
      {
        token: tokens.recruteur1,
      },
    );
    expect(view.body.account.firstName).toBe('Clara');
    expect(view.body.organisations[0]?.siret).toBe(DEMO_ORGANISATIONS.boulangerie.siret);
  });

  it('changes the password and signs out the other sessions', async () => {
    const other = await server.login('recruteur1@demo.test');
    const wrong = await api<ApiErrorBody>(url('/api/account/password'), {
      token: tokens.recruteur1,
      body: { currentPassword: 'pas-le-bon-mot-de-passe', newPassword: 'nouveau-mot-de-passe' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toEqual([
      { field: 'currentPassword', message: 'Le mot de passe est incorrect.' },
    ]);
    const short = await api<ApiErrorBody>(url('/api/account/password'), {
      token: tokens.recruteur1,
      body: { currentPassword: 'demo-demo-demo', newPassword: 'court' },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.fields?.[0]?.field).toBe('newPassword');
    const ok = await api<{ sessionsClosed: number }>(url('/api/account/password'), {
      token: tokens.recruteur1,
      body: { currentPassword: 'demo-demo-demo', newPassword: 'nouveau-mot-de-passe' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.sessionsClosed).toBeGreaterThanOrEqual(1);
    expect((await api(url('/api/auth/me'), { token: other })).status).toBe(401);
    expect((await api(url('/api/auth/me'), { token: tokens.recruteur1 })).status).toBe(200);
    await expect(server.login('recruteur1@demo.test')).rejects.toThrow();
    expect(await server.login('recruteur1@demo.test', 'nouveau-mot-de-passe')).toBeTruthy();
    expect((await lastEmailTo('recruteur1@demo.test'))?.subject).toBe('Votre mot de passe a été modifié');
  });

  it('changes the e-mail address after confirmation from the new address', async () => {
    const taken = await api<ApiErrorBody>(url('/api/account/email'), {
      token: tokens.recruteur1,
      body: { newEmail: 'recruteur2@demo.test', password: 'demo-demo-demo' },
    });
    expect(taken.status).toBe(409);
    const wrong = await api<ApiErrorBody>(url('/api/account/email'), {
      token: tokens.recruteur1,
      body: { newEmail: 'claire@boulangeries.test', password: 'mauvais' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields?.[0]?.field).toBe('password');
    const asked = await api<{ pendingEmailChange: { newEmail: string } }>(url('/api/account/email'), {
      token: tokens.recruteur1,
      body: { newEmail: 'Claire@Boulangeries.test', password: 'demo-demo-demo' },
    });
    expect(asked.status).toBe(202);
    expect(asked.body.pendingEmailChange.newEmail).toBe('claire@boulangeries.test');
    // Nothing changes before the confirmation.
    expect(
      (await api<{ user: SessionUser }>(url('/api/auth/me'), { token: tokens.recruteur1 })).body.user.email,
    ).toBe('recruteur1@demo.test');
    expect((await lastEmailTo('recruteur1@demo.test'))?.subject).toBe(
      'Demande de changement d’adresse e-mail',
    );
    const link = tokenFrom((await lastEmailTo('claire@boulangeries.test'))?.body_text, 'email-change');
    const confirmed = await api<{ email: string }>(url('/api/account/email/confirm'), {
      body: { token: link },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.email).toBe('claire@boulangeries.test');
    // Signed out everywhere; the new address signs in.
    expect((await api(url('/api/auth/me'), { token: tokens.recruteur1 })).status).toBe(401);
    const token = await server.login('claire@boulangeries.test');
    expect(token).toBeTruthy();
    const doc = (await pullAll(R1, organisationsCollection)).docs.get(BAKERY)!;
    expect(doc.members).toEqual([expect.objectContaining({ email: 'claire@boulangeries.test' })]);
    const reused = await api<ApiErrorBody>(url('/api/account/email/confirm'), { body: { token: link } });
    expect(reused.status).toBe(410);
  });

  it('deletes the account, except for the last administrator of an organisation with other members', async () => {
    const colleague = await register('collegue@exemple.test');
    const inv = await invite(tokens.recruteur1, BAKERY, 'collegue@exemple.test');
    await api(url(`/api/invitations/${inv.link}/accept`), { token: colleague.token, body: {} });
    const blocked = await api<ApiErrorBody>(url('/api/account'), {
      method: 'DELETE',
      token: tokens.recruteur1,
      body: { password: 'demo-demo-demo' },
    });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.message).toContain('« Boulangeries Martin »');
    const wrong = await api(url('/api/account'), {
      method: 'DELETE',
      token: colleague.token,
      body: { password: 'x' },
    });
    expect(wrong.status).toBe(400);
    // The colleague's own work in the replicated collections (issue 5 and 6): a search, two lists
    // (one shared with the organisation), an evaluation, a notice.
    const at = new Date().toISOString();
    const engine = server.app.engine;
    const own = (name: string, doc: Record<string, unknown>) =>
      server.db.transaction((tx) => engine.write(tx, engine.collection(name)!, doc as Doc, false));
    await own('searches', {
      id: 'se-colleague',
      ownerId: colleague.user.id,
      organisationId: BAKERY,
      kind: 'cv',
      criteria: { keywords: 'boulanger' },
      label: 'boulanger',
      lastRunAt: at,
      runCount: 1,
      resultCount: 3,
      favourite: true,
      createdAt: at,
      updatedAt: at,
    });
    for (const shared of [false, true])
      await own('cvLists', {
        id: `li-colleague-${shared}`,
        organisationId: BAKERY,
        ownerId: colleague.user.id,
        name: shared ? 'Partagée' : 'Perso',
        shared,
        entries: [],
        renamedAt: at,
        createdAt: at,
        updatedAt: at,
      });
    await own('evaluations', {
      id: 'ev-colleague',
      organisationId: BAKERY,
      authorId: colleague.user.id,
      authorName: 'Paul Durand',
      subjectKind: 'application',
      subjectId: 'a-1',
      rating: 4,
      ratedAt: at,
      notes: [{ id: 'n1', at, text: 'Bon contact' }],
      tags: [],
      createdAt: at,
      updatedAt: at,
    });
    const gone = await api(url('/api/account'), {
      method: 'DELETE',
      token: colleague.token,
      body: { password: PASSWORD },
    });
    expect(gone.status).toBe(204);
    const left = await server.db.query<{ id: string; deleted: boolean; doc: Record<string, unknown> }>(
      `select id, deleted, doc from searches where id = 'se-colleague'
       union all select id, deleted, doc from cv_lists where id like 'li-colleague-%'
       union all select id, deleted, doc from evaluations where id = 'ev-colleague'`,
    );
    const byId = new Map(left.rows.map((r) => [r.id, r]));
    expect(byId.get('se-colleague')?.deleted).toBe(true);
    expect(byId.get('li-colleague-false')?.deleted).toBe(true);
    expect(byId.get('li-colleague-true')?.deleted).toBe(false);
    expect(byId.get('ev-colleague')?.doc).toMatchObject({
      authorName: 'Ancien membre (compte supprimé)',
      rating: 4,
    });
    expect(JSON.stringify(left.rows)).not.toMatch(/Paul|Durand/);
    expect((await api(url('/api/auth/me'), { token: colleague.token })).status).toBe(401);
    await expect(server.login('collegue@exemple.test', PASSWORD)).rejects.toThrow();
    const row = await server.db.query<Record<string, unknown>>(
      'select email, first_name, last_name, job_title, disabled_at from accounts where id = $1',
      [colleague.user.id],
    );
    expect(row.rows[0]).toMatchObject({ first_name: '', last_name: '', job_title: null });
    expect(String(row.rows[0]!.email)).not.toContain('collegue');
    const doc = (await pullAll(R1, organisationsCollection)).docs.get(BAKERY)!;
    expect((doc.members as OrganisationDoc['members']).map((m) => m.accountId)).toEqual([R1]);
    const audit = await server.db.query<{ detail: unknown; actor_id: string | null }>(
      "select detail, actor_id from audit_log where action = 'compte-supprime' and document_id = $1",
      [colleague.user.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows[0])).not.toMatch(/collegue|Durand|Paul/);
    const mails = await server.db.query('select 1 from email_outbox where to_address = $1', [
      'collegue@exemple.test',
    ]);
    expect(mails.rows).toHaveLength(0);
    // The e-mail address may be used again.
    await register('collegue@exemple.test');
  });
});
