import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CandidateApplication } from '../../shared/domain/application';
import type { ApplicationDoc } from '../../shared/schemas/application.schema';
import type { CvDoc } from '../../shared/schemas/cv.schema';
import { DEMO_CV_IDS } from '../src/candidate/demo-cvs';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { api, startTestServer, type TestServer } from './harness';

/**
 * Proposals from the CVthèque (issue 5 « Contact and proposals »): an application in status
 * « proposée » for the CV's candidate, an e-mail to them, accepted on the portal; rights and
 * French errors (400/403/404/409).
 */

const CANDIDATE = '0a0c0000-0000-4000-8000-000000000006';
const CV = DEMO_CV_IDS.published;
const R1 = DEMO_ACCOUNTS[0].id;

let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

beforeEach(async () => {
  await server.reset();
  for (const who of ['recruteur1', 'conseiller', 'candidat', 'moderateur'])
    tokens[who] = await server.login(`${who}@demo.test`);
});

afterAll(async () => {
  await server?.stop();
});

/** A published offer of the organisation the candidate has no active application for. */
async function freeOffer(organisationId: string, status = 'publiee'): Promise<string> {
  const { rows } = await server.db.query<{ id: string }>(
    `select o.id from offers o
      where not o.deleted and o.doc->>'organisationId' = $1 and o.doc->>'status' = $2
        and not exists (select 1 from applications a where not a.deleted and a.doc->>'offerId' = o.id
                          and a.doc->>'candidateId' = $3)
      order by o.id limit 1`,
    [organisationId, status, CANDIDATE],
  );
  expect(rows[0], `offre ${status} de ${organisationId}`).toBeDefined();
  return rows[0]!.id;
}

const propose = (token: string, body: unknown) =>
  api<{
    application?: ApplicationDoc;
    error?: { code: string; message: string; fields?: { field: string; message: string }[] };
  }>(`${server.url}/api/cvtheque/proposals`, { token, body });

async function proposalMails() {
  const { rows } = await server.db.query<{ to_address: string; subject: string; body_text: string }>(
    "select to_address, subject, body_text from email_outbox where dedupe_key like 'cv-proposal|%' order by id",
  );
  return rows;
}

describe('proposals from the CVthèque', () => {
  it('a recruiter proposes the person for an offer: « proposée », e-mailed, accepted on the portal', async () => {
    const offerId = await freeOffer(DEMO_ORGANISATIONS.boulangerie.id);
    const res = await propose(tokens.recruteur1!, {
      cvId: CV,
      offerId,
      message: '  Votre profil nous intéresse.  ',
    });
    expect(res.status).toBe(201);
    const doc = res.body.application!;
    expect(doc).toMatchObject({
      organisationId: DEMO_ORGANISATIONS.boulangerie.id,
      offerId,
      candidateId: CANDIDATE,
      cvId: CV,
      status: 'proposee',
      source: 'proposition',
      message: 'Votre profil nous intéresse.',
    });
    expect(doc.history?.[0]).toMatchObject({ to: 'proposee', by: R1 });
    expect(doc.cv?.title).toBeTruthy();
    // The application shows what the CVthèque shows of the person, nothing more.
    const { rows } = await server.db.query<{ doc: CvDoc }>('select doc from cvs where id = $1', [CV]);
    const projection = rows[0]!.doc;
    if (projection.anonymous) expect(doc.applicant).toEqual({ firstName: 'Candidat', lastName: 'anonyme' });
    else expect(doc.applicant?.lastName).toBe(projection.lastName);

    const mails = await proposalMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to_address).toBe('candidat@demo.test');
    expect(mails[0]!.subject).toBe(`Une offre vous est proposée : ${doc.offer!.title}`);
    expect(mails[0]!.body_text).toContain('Claire Martin (Boulangeries Martin) vous propose l’offre');
    expect(mails[0]!.body_text).toContain('Votre profil nous intéresse.');
    expect(mails[0]!.body_text).toContain(`${server.url}/mes-candidatures`);

    // The organisation's replica has it; the candidate answers it on the portal.
    const { rows: stored } = await server.db.query<{ keys: string[] }>(
      'select keys from applications where id = $1',
      [doc.id],
    );
    expect(stored[0]!.keys).toContain(`org:${DEMO_ORGANISATIONS.boulangerie.id}`);
    // …and the CV proposed reaches it too (the organisation's replica has its applicants' CVs).
    const { rows: cvRow } = await server.db.query<{ keys: string[] }>('select keys from cvs where id = $1', [
      CV,
    ]);
    expect(cvRow[0]!.keys).toContain(`org:${DEMO_ORGANISATIONS.boulangerie.id}`);
    const mine = await api<CandidateApplication[] | { applications: CandidateApplication[] }>(
      `${server.url}/api/candidate/applications`,
      { token: tokens.candidat! },
    );
    const list = Array.isArray(mine.body) ? mine.body : mine.body.applications;
    expect(list.find((a) => a.id === doc.id)).toMatchObject({ status: 'proposee', canAnswer: true });
    const accepted = await api(`${server.url}/api/candidate/applications/${doc.id}/accept`, {
      method: 'POST',
      token: tokens.candidat!,
      body: {},
    });
    expect(accepted.status).toBe(200);
    // Accepted, it is an application: the organisation gets the person's identity and contact.
    const { rows: after } = await server.db.query<{ doc: { status: string; applicant: unknown } }>(
      'select doc from applications where id = $1',
      [doc.id],
    );
    expect(after[0]!.doc.status).toBe('nouvelle');
    expect(after[0]!.doc.applicant).toMatchObject({
      firstName: 'Thomas',
      lastName: 'Garcia',
      email: 'candidat@demo.test',
    });

    // Once an application exists, another proposal for the same offer is a 409.
    const again = await propose(tokens.recruteur1!, { cvId: CV, offerId });
    expect(again.status).toBe(409);
    expect(again.body.error?.fields?.[0]).toMatchObject({ field: 'offerId' });
    expect(again.body.error?.message).toMatch(/déjà une candidature en cours/);
  });

  it('an advisor proposes for any published offer; a second proposal waits for the answer (409)', async () => {
    const offerId = await freeOffer(DEMO_ORGANISATIONS.transports.id);
    const res = await propose(tokens.conseiller!, { cvId: CV, offerId });
    expect(res.status).toBe(201);
    expect(res.body.application).toMatchObject({
      organisationId: DEMO_ORGANISATIONS.transports.id,
      status: 'proposee',
    });
    expect(res.body.application?.history?.[0]?.byName).toBe('Julien Moreau (Mission locale de Carcassonne)');
    const again = await propose(tokens.conseiller!, { cvId: CV, offerId });
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toMatch(/proposition en attente/);
  });

  it('rights and French errors: 400 naming fields, 403, 404, 409', async () => {
    const own = await freeOffer(DEMO_ORGANISATIONS.boulangerie.id);
    const other = await freeOffer(DEMO_ORGANISATIONS.transports.id);

    const bad = await propose(tokens.recruteur1!, { offerId: 'x', message: 'a'.repeat(5001), extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fields?.map((f) => f.field).sort()).toEqual([
      'cvId',
      'extra',
      'message',
      'offerId',
    ]);
    expect(bad.body.error?.fields?.find((f) => f.field === 'cvId')?.message).toBe(
      'Choisissez le CV de la personne à proposer.',
    );
    expect((await propose(tokens.recruteur1!, [])).status).toBe(400);

    const foreign = await propose(tokens.recruteur1!, { cvId: CV, offerId: other });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error?.message).toBe(
      'Vous ne proposez des candidats que pour les offres de votre organisation.',
    );
    expect((await propose(tokens.candidat!, { cvId: CV, offerId: own })).status).toBe(403);
    expect((await propose(tokens.moderateur!, { cvId: CV, offerId: own })).status).toBe(403);

    const noOffer = await propose(tokens.recruteur1!, {
      cvId: CV,
      offerId: '00000000-0000-4000-8000-000000000000',
    });
    expect(noOffer.status).toBe(404);
    expect(noOffer.body.error?.fields?.[0]?.field).toBe('offerId');
    const noCv = await propose(tokens.recruteur1!, { cvId: DEMO_CV_IDS.draft, offerId: own });
    expect(noCv.status).toBe(404);
    expect(noCv.body.error).toMatchObject({
      message: 'Ce CV n’existe pas ou n’est plus visible dans la CVthèque.',
    });

    // An offer of one's own organisation that is not online.
    const { rows } = await server.db.query<{ id: string }>(
      `select id from offers where not deleted and doc->>'organisationId' = $1 and doc->>'status' <> 'publiee' limit 1`,
      [DEMO_ORGANISATIONS.boulangerie.id],
    );
    if (rows[0]) {
      const offline = await propose(tokens.recruteur1!, { cvId: CV, offerId: rows[0].id });
      expect(offline.status).toBe(409);
      expect(offline.body.error?.message).toMatch(/n’est pas en ligne/);
    }
    expect(await proposalMails()).toHaveLength(0);
    const { rows: written } = await server.db.query(
      "select 1 from applications where doc->>'source' = 'proposition'",
    );
    expect(written).toHaveLength(0);
  });
});
