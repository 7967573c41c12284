import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canRecruiterMoveOffer, OFFER_STATUSES, type OfferStatus } from '../../shared/domain/offer';
import type { OfferDoc } from '../../shared/schemas/offer.schema';
import { clock } from '../src/clock';
import { openDatabase } from '../src/db/database';
import { offersCollection } from '../src/domain/offers';
import type { Doc } from '../src/sync/types';
import { api, onPostgres, startTestServer, type TestServer } from './harness';

/** Issue 3: the whole offer lifecycle on the server — transitions, rights, history, expiry. */

const ORG1 = '0b0e0000-0000-4000-8000-000000000001';
const ORG2 = '0b0e0000-0000-4000-8000-000000000002';
const R1_ID = '0a0c0000-0000-4000-8000-000000000001';

let server: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

async function addMember(email: string, organisationId: string): Promise<void> {
  const res = await api<{ token: string; user: { id: string } }>(`${server.url}/api/auth/register`, {
    body: {
      lastName: 'Durand',
      firstName: 'Paul',
      jobTitle: 'Chargé de recrutement',
      email,
      password: 'un-long-mot-de-passe',
    },
  });
  expect(res.status).toBe(201);
  ids[email] = res.body.user.id;
  await server.db.query(
    "insert into memberships (account_id, organisation_id, role) values ($1, $2, 'member')",
    [res.body.user.id, organisationId],
  );
  tokens[email] = await server.login(email, 'un-long-mot-de-passe');
}

beforeAll(async () => {
  server = await startTestServer();
});

beforeEach(async () => {
  clock.reset();
  await server.reset();
  for (const who of ['recruteur1', 'recruteur2', 'moderateur'])
    tokens[who] = await server.login(`${who}@demo.test`);
  await addMember('collegue@demo.test', ORG1);
  await addMember('corecruteur@demo.test', ORG1);
});

afterAll(async () => {
  clock.reset();
  await server?.stop();
});

const pushUrl = () => `${server.url}/api/sync/offers/v${offersCollection.version}/push`;

function content(
  overrides: Partial<OfferDoc> = {},
): Omit<OfferDoc, 'id' | 'status' | 'createdAt' | 'updatedAt'> {
  return {
    organisationId: ORG1,
    title: 'Vendeur en boulangerie H/F',
    jobTitle: 'Vendeur / Vendeuse en boulangerie-pâtisserie',
    romeCode: 'D1106',
    city: 'Nantes',
    postalCode: '44000',
    companyName: 'Boulangerie du Port',
    salaryMin: 1900,
    salaryPeriod: 'mensuel',
    contactPhone: '02 40 00 00 00',
    seasonal: false,
    contractTypes: ['CDI'],
    description: 'Accueil des clients, mise en place de la vitrine, encaissement et entretien du magasin.',
    ...overrides,
  };
}

let seeded = 0;

/** Writes an offer straight into the server (as the server itself would), at any status. */
async function seedOffer(status: OfferStatus, overrides: Partial<OfferDoc> = {}): Promise<OfferDoc> {
  const now = clock.now().toISOString();
  const doc = {
    id: randomUUID(),
    ...content(),
    status,
    // Unique in the run (the server's own numbers come from its sequence, from 100001).
    number: `${String(900000 + seeded++)}Z`,
    authorId: R1_ID,
    createdAt: now,
    updatedAt: now,
    ...(status === 'supprimee' ? { previousStatus: 'brouillon' as const } : {}),
    ...(['publiee', 'expiree', 'pourvue', 'archivee'].includes(status)
      ? { publishedAt: now, expiresAt: new Date(Date.parse(now) + 30 * 86400000).toISOString() }
      : {}),
    ...overrides,
  } as OfferDoc;
  await server.db.transaction((tx) =>
    server.app.engine.write(tx, offersCollection, doc as unknown as Doc, false),
  );
  return doc;
}

async function master(id: string): Promise<OfferDoc> {
  const { rows } = await server.db.query<{ doc: OfferDoc }>('select doc from offers where id = $1', [id]);
  return rows[0]!.doc;
}

/** Pushes a change; answers whether it was written (no conflict returned) and the new master. */
async function change(token: string, before: OfferDoc, after: Partial<OfferDoc>) {
  const res = await api<unknown[]>(pushUrl(), {
    token,
    body: [
      {
        assumedMasterState: { ...before, _deleted: false },
        newDocumentState: { ...before, ...after, _deleted: false },
      },
    ],
  });
  expect(res.status).toBe(200);
  return { written: res.body.length === 0, doc: await master(before.id) };
}

async function create(token: string, doc: Partial<OfferDoc>) {
  const now = new Date().toISOString();
  const full = {
    id: randomUUID(),
    ...content(),
    status: 'brouillon',
    createdAt: now,
    updatedAt: now,
    ...doc,
  };
  const res = await api<unknown[]>(pushUrl(), {
    token,
    body: [{ assumedMasterState: null, newDocumentState: { ...full, _deleted: false } }],
  });
  expect(res.status).toBe(200);
  const { rows } = await server.db.query<{ doc: OfferDoc }>('select doc from offers where id = $1', [
    full.id,
  ]);
  return { written: res.body.length === 0, doc: rows[0]?.doc };
}

async function noticesOf(userId: string): Promise<{ title: string; message: string }[]> {
  const { rows } = await server.db.query<{ doc: { title: string; message: string } }>(
    "select doc from notices where doc->>'userId' = $1 order by seq",
    [userId],
  );
  return rows.map((r) => r.doc);
}

describe('statuts : la table des transitions, appliquée par le serveur', () => {
  it('accepte chaque changement permis à un recruteur et refuse tous les autres', async () => {
    const outcomes: string[] = [];
    for (const from of OFFER_STATUSES) {
      for (const to of OFFER_STATUSES) {
        if (from === to) continue;
        const before = await seedOffer(from);
        const { written, doc } = await change(tokens.recruteur1!, before, { status: to });
        const allowed = canRecruiterMoveOffer(from, to);
        if (written !== allowed) outcomes.push(`${from} → ${to} : ${written ? 'écrit' : 'refusé'}`);
        if (!allowed) expect(doc.status).toBe(from);
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('republie telle quelle une offre expirée, mais renvoie en modération une offre expirée modifiée', async () => {
    const expired = await seedOffer('expiree');
    const asIs = await change(tokens.recruteur1!, expired, { status: 'publiee' });
    expect(asIs.written).toBe(true);
    expect(asIs.doc.status).toBe('publiee');
    expect(Date.parse(asIs.doc.expiresAt!)).toBeGreaterThan(Date.now() + 59 * 86400000);
    expect(asIs.doc.history?.at(-1)).toMatchObject({
      action: 'republication',
      from: 'expiree',
      to: 'publiee',
      by: R1_ID,
    });

    const other = await seedOffer('expiree');
    const edited = await change(tokens.recruteur1!, other, {
      status: 'publiee',
      title: 'Vendeur confirmé H/F',
    });
    expect(edited.written).toBe(false);
    const resubmitted = await change(tokens.recruteur1!, other, {
      status: 'en_attente',
      title: 'Vendeur confirmé H/F',
    });
    expect(resubmitted.written).toBe(true);
    expect(resubmitted.doc.status).toBe('en_attente');
  });

  it('garde le statut précédent d’une offre supprimée', async () => {
    const draft = await seedOffer('publiee');
    const { doc } = await change(tokens.recruteur1!, draft, { status: 'supprimee' });
    expect(doc.status).toBe('supprimee');
    expect(doc.previousStatus).toBe('publiee');
  });
});

describe('création : numéro, auteur et historique fixés par le serveur', () => {
  it('attribue un numéro de six chiffres et une lettre, unique, et ignore les champs du serveur envoyés', async () => {
    const numbers = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { written, doc } = await create(tokens.recruteur1!, {
        number: '000000A',
        authorId: ids['collegue@demo.test'],
        history: [{ at: '2020-01-01T00:00:00.000Z', action: 'publication' }],
        moderationFlags: [],
      });
      expect(written).toBe(true);
      expect(doc!.number).toMatch(/^\d{6}[A-Z]$/);
      expect(doc!.number).not.toBe('000000A');
      expect(doc!.authorId).toBe(R1_ID);
      expect(doc!.history).toHaveLength(1);
      expect(doc!.history![0]).toMatchObject({ action: 'creation', by: R1_ID, byName: 'Claire Martin' });
      numbers.add(doc!.number!);
    }
    expect(numbers.size).toBe(5);
  });

  it('signale au modérateur un titre sans H/F, et enregistre la soumission dans l’historique', async () => {
    const { doc } = await create(tokens.recruteur1!, {
      title: 'Vendeur en boulangerie',
      status: 'en_attente',
    });
    expect(doc!.status).toBe('en_attente');
    expect(doc!.moderationFlags?.map((f) => f.code)).toContain('mention-hf-absente');
    expect(doc!.history?.map((h) => h.action)).toEqual(['creation', 'soumission']);
    const clean = await create(tokens.recruteur1!, { status: 'en_attente' });
    expect(clean.doc!.moderationFlags?.map((f) => f.code) ?? []).not.toContain('mention-hf-absente');
  });

  it('trouve le doublon publié même parmi plus de mille offres de la même organisation', async () => {
    const base = content();
    // 1,200 other published offers of the organisation, in other cities, published after it.
    await server.db.query(
      `insert into offers (id, doc, keys, deleted, txid, seq)
       select u, $1::jsonb || jsonb_build_object('id', u, 'city', 'Ville ' || i,
                'title', 'Offre numéro ' || i || ' H/F', 'publishedAt', '2099-01-01T00:00:00.000Z'),
              array['org:' || $2::text], false, 1, nextval('sync_seq')
         from (select gen_random_uuid()::text as u, i from generate_series(1, 1200) as i) as g`,
      [JSON.stringify({ ...base, status: 'publiee', authorId: R1_ID }), ORG1],
    );
    const original = await seedOffer('publiee', { publishedAt: '2020-01-01T00:00:00.000Z' });
    const { doc } = await create(tokens.recruteur1!, { status: 'en_attente' });
    const duplicate = doc!.moderationFlags?.find((f) => f.code === 'doublon-probable');
    expect(duplicate?.message).toContain(original.number!);
  });

  it('refuse un co-recruteur qui n’est pas membre de l’organisation', async () => {
    const { written } = await create(tokens.recruteur1!, {
      coRecruiterIds: ['0a0c0000-0000-4000-8000-000000000002'],
    });
    expect(written).toBe(false);
  });
});

describe('droits sur une offre : auteur, co-recruteurs, administrateurs', () => {
  it('laisse agir l’auteur, les co-recruteurs et les administrateurs, pas les autres membres ni les modérateurs', async () => {
    // The colleague writes the offer; recruteur1 is the organisation's administrator.
    const { doc: offer } = await create(tokens['collegue@demo.test']!, {});
    expect(offer!.authorId).toBe(ids['collegue@demo.test']);

    const stranger = await change(tokens['corecruteur@demo.test']!, offer!, { title: 'Titre changé H/F' });
    expect(stranger.written).toBe(false);
    const moderator = await change(tokens.moderateur!, offer!, { title: 'Titre changé H/F' });
    expect(moderator.written).toBe(false);
    const otherOrg = await change(tokens.recruteur2!, offer!, { title: 'Titre changé H/F' });
    expect(otherOrg.written).toBe(false);

    // The author names a co-recruiter, who may then act but not change the co-recruiters.
    const named = await change(tokens['collegue@demo.test']!, offer!, {
      coRecruiterIds: [ids['corecruteur@demo.test']!],
    });
    expect(named.written).toBe(true);
    const byCoRecruiter = await change(tokens['corecruteur@demo.test']!, named.doc, {
      title: 'Vendeur qualifié H/F',
    });
    expect(byCoRecruiter.written).toBe(true);
    const coChanges = await change(tokens['corecruteur@demo.test']!, byCoRecruiter.doc, {
      coRecruiterIds: [],
    });
    expect(coChanges.written).toBe(false);

    // The administrator acts on any offer of the organisation.
    const byAdmin = await change(tokens.recruteur1!, byCoRecruiter.doc, { status: 'en_attente' });
    expect(byAdmin.written).toBe(true);
    expect(byAdmin.doc.history?.at(-1)).toMatchObject({ action: 'soumission', by: R1_ID });

    const refusals = await noticesOf(ids['corecruteur@demo.test']!);
    expect(refusals.some((n) => /co-recruteurs/.test(n.message))).toBe(true);
  });
});

describe('modération', () => {
  it('publie avec l’historique, et refuse de publier l’offre d’une organisation non vérifiée', async () => {
    const pending = await seedOffer('en_attente');
    const ok = await api<{ offer: OfferDoc }>(`${server.url}/api/moderation/offers/${pending.id}/decision`, {
      token: tokens.moderateur!,
      body: { decision: 'publier' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.offer.history?.at(-1)).toMatchObject({
      action: 'publication',
      from: 'en_attente',
      to: 'publiee',
    });

    await server.db.query('update organisations set verified = false where id = $1', [ORG2]);
    const unverified = await seedOffer('en_attente', { organisationId: ORG2 });
    const refused = await api<{ error: { code: string; message: string } }>(
      `${server.url}/api/moderation/offers/${unverified.id}/decision`,
      { token: tokens.moderateur!, body: { decision: 'publier' } },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/pas encore vérifiée/);
    expect((await master(unverified.id)).status).toBe('en_attente');
  });

  it('refuse avec un motif obligatoire que l’auteur voit, effacé quand il soumet de nouveau', async () => {
    const pending = await seedOffer('en_attente');
    const url = `${server.url}/api/moderation/offers/${pending.id}/decision`;
    const noReason = await api<{ error: { fields: { field: string; message: string }[] } }>(url, {
      token: tokens.moderateur!,
      body: { decision: 'refuser', reason: '  ' },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields).toEqual([
      { field: 'reason', message: expect.stringMatching(/motif/) },
    ]);
    expect((await master(pending.id)).status).toBe('en_attente');

    const reason = 'Le titre mentionne un âge : retirez « jeune » et indiquez H/F.';
    const refused = await api<{ offer: OfferDoc }>(url, {
      token: tokens.moderateur!,
      body: { decision: 'refuser', reason },
    });
    expect(refused.status).toBe(200);
    const doc = await master(pending.id);
    expect(doc).toMatchObject({ status: 'refusee', moderationReason: reason });
    expect(doc.history?.at(-1)).toMatchObject({ action: 'refus', from: 'en_attente', to: 'refusee', reason });
    const notice = (await noticesOf(R1_ID)).find((n) => n.title === 'Offre refusée par la modération');
    expect(notice?.message).toContain(reason);

    // A decision on an offer no longer waiting is a French 409, and changes nothing.
    const again = await api<{ error: { message: string } }>(url, {
      token: tokens.moderateur!,
      body: { decision: 'publier' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/plus en attente/);
    expect((await master(pending.id)).status).toBe('refusee');

    // Only moderators decide.
    const byRecruiter = await api(url, { token: tokens.recruteur1!, body: { decision: 'publier' } });
    expect(byRecruiter.status).toBe(403);

    // The author edits and submits again: the reason goes, the offer waits for moderation.
    const resubmitted = await change(tokens.recruteur1!, doc, {
      title: 'Vendeur en boulangerie H/F',
      status: 'en_attente',
    });
    expect(resubmitted.written).toBe(true);
    expect(resubmitted.doc.status).toBe('en_attente');
    expect(resubmitted.doc.moderationReason).toBeUndefined();
  });
});

describe('expiration planifiée', () => {
  it('prévient l’auteur 7 jours avant, expire à échéance, une seule fois même relancée', async () => {
    // Only this test's offer is within reach of the job.
    await server.db.query(
      `update offers set doc = jsonb_set(doc, '{expiresAt}', '"2999-01-01T00:00:00.000Z"') where doc->>'status' = 'publiee'`,
    );
    const pending = await seedOffer('en_attente');
    await api(`${server.url}/api/moderation/offers/${pending.id}/decision`, {
      token: tokens.moderateur!,
      body: { decision: 'publier' },
    });
    const published = await master(pending.id);
    expect(published.status).toBe('publiee');
    const run = () =>
      server.app.scheduler.runAll() as Promise<Record<string, { warned: number; expired: number }>>;

    clock.advance(52 * 86400000);
    expect((await run())['offer-expiry']).toMatchObject({ warned: 0, expired: 0 });

    clock.advance(2 * 86400000); // 54 days: 6 days left
    expect((await run())['offer-expiry']).toMatchObject({ warned: 1, expired: 0 });
    expect((await run())['offer-expiry']).toMatchObject({ warned: 0, expired: 0 });
    expect((await master(pending.id)).expiryWarnedAt).toBeDefined();

    clock.advance(7 * 86400000); // 61 days
    expect((await run())['offer-expiry']).toMatchObject({ warned: 0, expired: 1 });
    expect((await run())['offer-expiry']).toMatchObject({ warned: 0, expired: 0 });
    const expired = await master(pending.id);
    expect(expired.status).toBe('expiree');
    expect(expired.history?.at(-1)).toMatchObject({ action: 'expiration', from: 'publiee', to: 'expiree' });

    const notices = await noticesOf(R1_ID);
    expect(notices.filter((n) => n.title === 'Votre offre expire bientôt')).toHaveLength(1);
    expect(notices.filter((n) => n.title === 'Offre expirée')).toHaveLength(1);
    const mails = await server.db.query<{ subject: string }>(
      "select subject from email_outbox where to_address = 'recruteur1@demo.test' order by id",
    );
    expect(mails.rows.map((r) => r.subject)).toEqual(['Votre offre expire bientôt', 'Offre expirée']);
  });

  it('prévient de nouveau 7 jours avant la fin d’une offre republiée après modification', async () => {
    await server.db.query(
      `update offers set doc = jsonb_set(doc, '{expiresAt}', '"2999-01-01T00:00:00.000Z"') where doc->>'status' = 'publiee'`,
    );
    const decide = (id: string) =>
      api(`${server.url}/api/moderation/offers/${id}/decision`, {
        token: tokens.moderateur!,
        body: { decision: 'publier' },
      });
    const run = async () =>
      ((await server.app.scheduler.runAll()) as Record<string, { warned: number; expired: number }>)[
        'offer-expiry'
      ];
    const pending = await seedOffer('en_attente');
    await decide(pending.id);
    clock.advance(54 * 86400000);
    expect(await run()).toMatchObject({ warned: 1 });
    clock.advance(7 * 86400000);
    expect(await run()).toMatchObject({ expired: 1 });

    // Republished after edits: back to moderation, published again, warned again before its end.
    const expired = await master(pending.id);
    const edited = await change(tokens.recruteur1!, expired, {
      description: `${expired.description} Poste à pourvoir rapidement.`,
      status: 'en_attente',
    });
    expect(edited.doc.status).toBe('en_attente');
    expect((await decide(pending.id)).status).toBe(200);
    const republished = await master(pending.id);
    expect(republished.status).toBe('publiee');
    expect(republished.expiryWarnedAt).toBeUndefined();
    clock.advance(54 * 86400000);
    expect(await run()).toMatchObject({ warned: 1, expired: 0 });
    const warnings = (await noticesOf(R1_ID)).filter((n) => n.title === 'Votre offre expire bientôt');
    expect(warnings).toHaveLength(2);
  });

  it('expire à la date de retrait demandée si elle vient avant les 60 jours', async () => {
    const withdrawal = new Date(clock.now().getTime() + 10 * 86400000).toISOString().slice(0, 10);
    const pending = await seedOffer('en_attente', { requestedEndDate: withdrawal });
    await api(`${server.url}/api/moderation/offers/${pending.id}/decision`, {
      token: tokens.moderateur!,
      body: { decision: 'publier' },
    });
    const published = await master(pending.id);
    expect(Date.parse(published.expiresAt!)).toBeLessThan(clock.now().getTime() + 12 * 86400000);
    clock.advance(12 * 86400000);
    await server.app.scheduler.runAll();
    expect((await master(pending.id)).status).toBe('expiree');
  });

  it('ne fait le travail qu’une fois quand deux instances lancent la tâche en même temps', async () => {
    for (let i = 0; i < 30; i++)
      await seedOffer('publiee', { expiresAt: new Date(Date.now() - 1000).toISOString() });
    const { runOfferExpiry } = await import('../src/jobs/offer-expiry');
    const [a, b] = await Promise.all([
      runOfferExpiry(server.db, server.app.engine, clock.now()),
      runOfferExpiry(server.db, server.app.engine, clock.now()),
    ]);
    expect(a.expired + b.expired).toBe(30);
    const notices = await noticesOf(R1_ID);
    expect(notices.filter((n) => n.title === 'Offre expirée')).toHaveLength(30);
  });

  it.runIf(onPostgres)(
    'deux instances du serveur, chacune avec ses connexions, expirent chaque offre une fois',
    async () => {
      const expiredCount = async () => {
        const { rows } = await server.db.query<{ n: string }>(
          "select count(*)::text as n from offers where doc->>'status' = 'expiree'",
        );
        return Number(rows[0]!.n);
      };
      const before = await expiredCount();
      for (let i = 0; i < 450; i++)
        await seedOffer('publiee', { expiresAt: new Date(Date.now() - 1000).toISOString() });
      const { runOfferExpiry } = await import('../src/jobs/offer-expiry');
      const other = await openDatabase(server.databaseOptions);
      try {
        const sent: string[] = [];
        const queue = async (_tx: unknown, mail: { dedupeKey: string }) => {
          sent.push(mail.dedupeKey);
        };
        const runs = await Promise.all([
          runOfferExpiry(server.db, server.app.engine, clock.now(), queue),
          runOfferExpiry(other, server.app.engine, clock.now(), queue),
          runOfferExpiry(other, server.app.engine, clock.now(), queue),
        ]);
        // Whoever ran, the 450 offers (more than two batches) expired once each, with one notice each.
        expect(runs.reduce((n, r) => n + r.expired, 0)).toBe(450);
        const again = await runOfferExpiry(other, server.app.engine, clock.now(), queue);
        expect(again).toMatchObject({ expired: 0, ran: true });
        const notices = await noticesOf(R1_ID);
        expect(notices.filter((n) => n.title === 'Offre expirée')).toHaveLength(450);
        expect(new Set(sent).size).toBe(sent.length);
        expect((await expiredCount()) - before).toBe(450);
      } finally {
        await other.close();
      }
    },
    60_000,
  );
});
