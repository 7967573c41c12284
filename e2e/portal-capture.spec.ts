import { randomUUID } from 'node:crypto';
import type { LoginResponse } from '../shared/domain/account';
import type { ApplicationDoc } from '../shared/schemas/application.schema';
import type { OfferDoc } from '../shared/schemas/offer.schema';
import { expectAccessible, pullAll } from './fixtures/checks';
import { type E2eServer, expect, screenPath, test } from './fixtures/server';

/**
 * Issue 6 on the portal: a person met at a fair follows the follow-up e-mail's link to a prefilled
 * sign-up page, confirms the address and finds the capture in « Mes candidatures »; once the
 * recruiter refuses it, the visible reason and the recruiter's message show there, and on the
 * follow page of an application made without an account. Accessibility (axe-core) on each page.
 */

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
const MESSAGE = 'Merci pour notre échange.\nNous gardons votre CV pour un prochain poste.';

interface Mail {
  subject: string;
  links: string[];
}

/** The path and query of the last e-mailed link to `to` that contains `path`. */
async function mailedLink(server: E2eServer, to: string, path: string): Promise<string> {
  let link = '';
  await expect
    .poll(
      async () => {
        const { messages } = await server.api<{ messages: Mail[] }>(
          `/dev/courriels.json?to=${encodeURIComponent(to)}`,
        );
        link =
          messages
            .flatMap((m) => m.links)
            .filter((l) => l.includes(path))
            .at(-1) ?? '';
        return link;
      },
      { timeout: 20_000 },
    )
    .toContain(path);
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

async function recruiter(server: E2eServer) {
  const { token, user } = await server.api<LoginResponse>('/api/auth/login', {
    body: { email: 'recruteur1@demo.test', password: 'demo-demo-demo' },
  });
  const orgs = new Set(user.memberships.map((m) => m.organisationId));
  const offers = (await pullAll<OfferDoc>(server, token, 'offers')).filter(
    (o) => orgs.has(o.organisationId) && o.status === 'publiee' && o.applicationMode !== 'contact',
  );
  expect(offers.length, 'une offre publiée de l’organisation du recruteur').toBeGreaterThan(0);
  return { token, offer: offers[0]! };
}

/** The recruiter refuses the application, showing the reason and writing a message. */
async function refuse(server: E2eServer, token: string, id: string) {
  const docs = await pullAll<ApplicationDoc & { _deleted: boolean }>(server, token, 'applications');
  const master = docs.find((d) => d.id === id);
  expect(master, 'la candidature chez le recruteur').toBeTruthy();
  const conflicts = await server.api<unknown[]>('/api/sync/applications/v0/push', {
    token,
    body: [
      {
        assumedMasterState: master,
        newDocumentState: {
          ...master,
          status: 'refusee',
          refusalReason: 'competences',
          refusalVisible: true,
          refusalMessage: MESSAGE,
          updatedAt: new Date().toISOString(),
        },
      },
    ],
  });
  expect(conflicts).toEqual([]);
}

test('saisie sur un salon : inscription préremplie, « Mes candidatures », puis le refus avec son motif', async ({
  page,
  server,
}) => {
  const { token, offer } = await recruiter(server);
  const email = `camille.roux.${Date.now()}@exemple.test`;
  const id = randomUUID();
  const at = new Date().toISOString();
  const capture: ApplicationDoc = {
    id,
    organisationId: offer.organisationId,
    offerId: offer.id,
    captureId: id,
    applicant: {
      firstName: 'Camille',
      lastName: 'Roux',
      email,
      consent: { at, text: 'J’accepte que mes données soient transmises au recruteur.' },
    },
    status: 'nouvelle',
    source: 'salon',
    history: [],
    createdAt: at,
    updatedAt: at,
  };
  expect(
    await server.api<unknown[]>('/api/sync/applications/v0/push', {
      token,
      body: [{ assumedMasterState: null, newDocumentState: { ...capture, _deleted: false } }],
    }),
  ).toEqual([]);

  // The follow-up e-mail links to the sign-up page, prefilled.
  await page.goto(await mailedLink(server, email, '/inscription?'));
  await expect(page.getByRole('heading', { level: 1, name: 'Créer un compte candidat' })).toBeVisible();
  await expect(page.getByLabel('Prénom')).toHaveValue('Camille');
  await expect(page.getByLabel('Nom', { exact: true })).toHaveValue('Roux');
  await expect(page.getByLabel('Adresse e-mail')).toHaveValue(email);
  await expect(page.getByText(/déjà remplis à partir du lien/)).toBeVisible();
  await expectAccessible(page, 'portail', null);
  await page.screenshot({ path: screenPath('portail-inscription-preremplie') });
  await page.getByLabel('Mot de passe').fill('un-mot-de-passe-solide');
  await page.getByRole('combobox', { name: 'Ville' }).fill('Carcass');
  await page
    .getByRole('option', { name: /Carcassonne/ })
    .first()
    .click();
  await page.getByLabel(/J’accepte les conditions/).check();
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page).toHaveURL(/\/mon-compte\?bienvenue=1$/);

  // Before the address is confirmed, the capture is not there; after, it is.
  await page.goto('/mes-candidatures');
  await expect(page.getByText('Vous n’avez encore envoyé aucune candidature.')).toBeVisible();
  await page.goto(await mailedLink(server, email, '/confirmer-email?jeton='));
  await expect(page.getByText(/est confirmée/)).toBeVisible();
  await page.goto('/mes-candidatures');
  const card = page.getByRole('article', { name: offer.title });
  await expect(card).toBeVisible();
  await expect(card).toContainText('Recueillie par le recruteur lors d’un salon');
  await expect(card).toContainText('Enregistrée le');

  await refuse(server, token, id);
  await page.reload();
  await expect(card.locator('.status-badge')).toContainText('Non retenue');
  await expect(card).toContainText('Motif : Compétences insuffisantes pour le poste');
  const quote = card.getByRole('figure', { name: /Message du recruteur/ });
  await expect(quote.locator('blockquote')).toContainText('Nous gardons votre CV pour un prochain poste.');
  await expectAccessible(page, 'portail', null);
  await page.screenshot({ path: screenPath('portail-candidature-refusee') });
});

test('suivi sans compte : le refus montre le message du recruteur, et le motif seulement s’il est visible', async ({
  page,
  server,
}) => {
  const { token, offer } = await recruiter(server);
  const email = `ines.benoit.${Date.now()}@exemple.test`;
  const upload = await fetch(`${server.url}/api/public/application-files?purpose=cv`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: PDF,
  });
  expect(upload.status).toBe(201);
  const { sha256 } = (await upload.json()) as { sha256: string };
  const applied = await server.api<{ application: { id: string } }>('/api/public/applications', {
    body: { offerId: offer.id, firstName: 'Inès', lastName: 'Benoît', email, consent: true, file: sha256 },
  });
  const follow = await mailedLink(server, email, '/suivi-candidature?jeton=');

  await page.goto(follow);
  await expect(page.getByRole('heading', { level: 1, name: 'Suivi de ma candidature' })).toBeVisible();
  await expect(page.getByText(/Motif :/)).toHaveCount(0);

  await refuse(server, token, applied.application.id);
  await page.reload();
  await expect(page.locator('.status-badge')).toContainText('Non retenue');
  await expect(page.getByText('Motif : Compétences insuffisantes pour le poste')).toBeVisible();
  await expect(
    page.getByRole('figure', { name: /Message du recruteur/ }).locator('blockquote'),
  ).toContainText('Merci pour notre échange.');
  await expect(page.getByRole('button', { name: 'Retirer ma candidature' })).toHaveCount(0);
  await expectAccessible(page, 'portail', null);
});
