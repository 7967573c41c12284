import { expect, screenPath, test } from './fixtures/server';
import { PortalMessagesPage } from './pages/portal-messages-page';

/**
 * Issue 7 « Mes messages » on the candidate portal: the demo candidate reads the demo conversation
 * from the navigation (with its unread count), replies, blocks the organisation (the form gives way
 * to the reason), unblocks, reports; a recipient the rules refuse is explained before anything is
 * typed; the entry points (« Écrire au recruteur », « Contacter l’entreprise »); axe-core on every
 * messaging page, on a phone-sized screen.
 */

const CANDIDATE = 'candidat@demo.test';

/** A one-page PDF (content is checked by the server, not the name). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
);

interface Conversation {
  id: string;
  organisationId: string;
  organisationName: string;
  subject: string;
  aboutKind: string;
  aboutId?: string;
  unread: boolean;
}

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 390, height: 844 } });

test('lire la conversation de démonstration, répondre, bloquer puis débloquer, signaler', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const token = await server.login(CANDIDATE);
  const { items } = await server.api<{ items: Conversation[]; unread: number }>('/api/me/conversations', {
    token,
  });
  expect(items.length, 'conversation de démonstration').toBeGreaterThan(0);
  const demo = items[0]!;

  const m = new PortalMessagesPage(page);
  await m.signIn(CANDIDATE, '/mon-compte');
  await expect(m.navLink()).toBeVisible();
  await m.gotoList();
  await expect(m.items().first()).toBeVisible();
  await expect(m.items().filter({ hasText: demo.subject })).toHaveCount(1);
  await expect(m.items().filter({ hasText: demo.subject })).toContainText(demo.organisationName);
  await m.expectAccessible('liste des messages');

  // Search: by organisation, and a word found nowhere.
  const search = page.getByLabel('Rechercher dans mes messages');
  await search.fill(demo.organisationName);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/\/mes-messages\?q=/);
  await expect(m.items().filter({ hasText: demo.subject })).toHaveCount(1);
  await search.fill('zzxqwv-introuvable');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.getByText('Aucune conversation ne correspond à « zzxqwv-introuvable ».')).toBeVisible();
  await expect(m.items()).toHaveCount(0);
  await page.getByRole('link', { name: 'Effacer la recherche' }).click();
  await expect(m.items().filter({ hasText: demo.subject })).toHaveCount(1);
  await page.screenshot({ path: screenPath('messages-liste'), fullPage: true });

  // Open it: oldest first, who wrote, marked read.
  await m.items().filter({ hasText: demo.subject }).getByRole('link').first().click();
  await m.expectLoaded(demo.subject);
  const count = await m.messages().count();
  expect(count).toBeGreaterThan(0);
  await expect(m.messages().filter({ hasText: demo.organisationName }).first()).toBeVisible();
  await expect
    .poll(async () => {
      const after = await server.api<{ items: Conversation[] }>('/api/me/conversations', { token });
      return after.items.find((c) => c.id === demo.id)?.unread;
    })
    .toBe(false);
  await m.expectAccessible('conversation');

  // An empty reply is refused next to the field; a real one lands at the end as « Vous ».
  await page
    .getByRole('region', { name: 'Répondre à ce message' })
    .getByRole('button', { name: 'Envoyer' })
    .click();
  await expect(page.getByRole('alert').filter({ hasText: 'Le message est vide' })).toBeFocused();
  await expect(m.replyBox()).toHaveAttribute('aria-invalid', 'true');
  const text = `Bonjour, je suis disponible pour un entretien mardi (${Date.now()}).`;
  // Attachments: a file whose content is not an accepted type is refused by name; a PDF is kept.
  const files = page.getByLabel('Pièces jointes');
  await files.setInputFiles({
    name: 'programme.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('MZ\x90\x00 pas un PDF'),
  });
  await expect(page.getByText(/« programme\.pdf » : Format refusé/)).toBeVisible();
  await expect(files).toHaveAttribute('aria-invalid', 'true');
  await files.setInputFiles({ name: 'disponibilites.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(page.getByRole('list', { name: 'Fichiers joints' })).toContainText('disponibilites.pdf');
  await m.reply(text);
  await expect(m.messages()).toHaveCount(count + 1);
  await expect(m.messages().last()).toContainText(text);
  await expect(m.messages().last()).toContainText('Vous');
  // The PDF opens in the browser (a new tab showing it), not as a download.
  const [viewer] = await Promise.all([
    page.waitForEvent('popup'),
    m.messages().last().getByRole('link', { name: 'disponibilites.pdf' }).click(),
  ]);
  await expect.poll(() => viewer.url()).toMatch(/^blob:/);
  await viewer.close();
  await page.reload();
  await m.expectLoaded(demo.subject);
  await expect(m.messages().last()).toContainText(text);

  // Block: the form gives way to the reason; unblock brings it back.
  await m.confirm(/^Bloquer /, 'Oui, bloquer');
  await expect(page.getByText('Vous ne pouvez pas écrire dans cette conversation.')).toBeVisible();
  await expect(m.replyBox()).toHaveCount(0);
  await page.screenshot({ path: screenPath('messages-bloquee'), fullPage: true });
  await m.expectAccessible('conversation bloquée');
  await page.reload();
  await m.expectLoaded(demo.subject);
  await expect(m.replyBox()).toHaveCount(0);
  await m.confirm(/^Débloquer /, 'Oui, débloquer');
  await expect(m.replyBox()).toBeVisible();

  // A reply the server refuses (the organisation blocked the candidate meanwhile): the form stays,
  // with the text typed and the error summary focused; the reason is shown above it.
  let recruiterToken: string | null = null;
  for (const email of ['recruteur1@demo.test', 'recruteur2@demo.test', 'agence@demo.test']) {
    const t = await server.login(email);
    try {
      await server.api(`/api/conversations/${demo.id}/block`, { token: t, method: 'POST', body: {} });
      recruiterToken = t;
      break;
    } catch {
      // Not a member of the conversation's organisation.
    }
  }
  expect(recruiterToken, 'un recruteur de l’organisation').not.toBeNull();
  const refusedText = `Ce message sera refusé, son texte reste (${Date.now()}).`;
  await m.replyBox().fill(refusedText);
  await page
    .getByRole('region', { name: 'Répondre à ce message' })
    .getByRole('button', { name: 'Envoyer' })
    .click();
  await expect(page.locator('.conversation-reply .notice--error[role="alert"]')).toBeFocused();
  await expect(page.getByText('Vous ne pouvez pas écrire dans cette conversation.')).toBeVisible();
  await expect(m.replyBox()).toHaveValue(refusedText);
  await m.expectAccessible('réponse refusée');
  await server.api(`/api/conversations/${demo.id}/unblock`, {
    token: recruiterToken!,
    method: 'POST',
    body: {},
  });

  // Report: a reason is required.
  await page.getByRole('button', { name: /^Signaler la conversation/ }).click();
  const panel = page.locator('fieldset.confirm-panel');
  await panel.getByRole('button', { name: 'Signaler' }).click();
  await expect(panel.getByText('Le motif du signalement est obligatoire.')).toBeVisible();
  await panel.getByLabel(/Motif du signalement/).fill('Test de signalement : propos déplacés.');
  await panel.getByRole('button', { name: 'Signaler' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'signalée aux modérateurs' })).toBeVisible();
});

test('un destinataire que les règles refusent : la raison avant d’écrire', async ({ page, server }) => {
  const prescribers = await server.api<{ items: { id: string; name: string }[] }>('/api/public/prescribers');
  const prescriber = prescribers.items[0]!;
  const m = new PortalMessagesPage(page);
  await m.signIn(CANDIDATE, `/mes-messages/nouveau?organisation=${prescriber.id}`);
  await m.expectLoaded('Nouveau message');
  const refusal = page.locator('#refus-destinataire');
  await expect(refusal).toBeVisible();
  await expect(refusal).toContainText('Vous ne pouvez pas écrire');
  await expect(page.getByLabel('Message', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'À qui puis-je écrire ?' })).toBeVisible();
  await m.expectAccessible('destinataire refusé');
  await page.screenshot({ path: screenPath('messages-refus'), fullPage: true });

  // « Nouveau message » without a recipient lists the allowed ones.
  await page.getByRole('link', { name: 'Écrire à un autre destinataire' }).click();
  await m.expectLoaded('Nouveau message');
  const select = page.getByLabel('Destinataire');
  await expect(select).toBeVisible();
  expect(await select.locator('option').count()).toBeGreaterThan(0);
  await m.expectAccessible('nouveau message');
});

test('« Écrire au recruteur » ouvre la conversation existante ; nouveau message envoyé', async ({
  page,
  server,
}) => {
  const token = await server.login(CANDIDATE);
  const { items } = await server.api<{ items: Conversation[] }>('/api/me/conversations', { token });
  const aboutApplication = items.find((c) => c.aboutKind === 'application' && c.aboutId);
  expect(aboutApplication, 'conversation de démonstration au sujet d’une candidature').toBeDefined();
  const m = new PortalMessagesPage(page);
  await m.signIn(CANDIDATE, '/mes-candidatures');
  await expect(page.getByRole('heading', { level: 1, name: 'Mes candidatures' })).toBeVisible();
  await page.locator(`a[href$="sujet=application%3A${aboutApplication!.aboutId}"]`).click();
  await m.expectLoaded(aboutApplication!.subject);
  await expect(page).toHaveURL(new RegExp(`/mes-messages/${aboutApplication!.id}$`));

  // A new conversation with an allowed recipient, from the form.
  await page.goto('/mes-messages/nouveau');
  await m.expectLoaded('Nouveau message');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Le message est vide' })).toBeFocused();
  const subject = `Question sur le poste ${Date.now()}`;
  await page.getByLabel('Objet').fill(subject);
  await page.getByLabel('Message', { exact: true }).fill('Bonjour, le poste est-il toujours ouvert ?');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await m.expectLoaded(subject);
  await expect(m.messages()).toHaveCount(1);
  await page.getByRole('link', { name: 'Retour à mes messages' }).click();
  await expect(m.items().filter({ hasText: subject })).toHaveCount(1);

  // Hide it: gone from the list.
  await m.items().filter({ hasText: subject }).getByRole('checkbox').check();
  await page.getByRole('button', { name: /^Supprimer/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'supprimée' })).toBeVisible();
  await expect(m.items().filter({ hasText: subject })).toHaveCount(0);
});

test('« Contacter l’entreprise » depuis sa fiche', async ({ page, server }) => {
  const companies = await server.api<{ items: { id: string; name: string }[] }>('/api/public/companies');
  const company = companies.items[0]!;
  // The public company page has no organisation id: the portal asks the rules by company.
  const token = await server.login(CANDIDATE);
  const answer = await server.api<{ allowed: boolean; organisationId?: string; organisationName?: string }>(
    `/api/me/messaging/can-write?companyId=${company.id}`,
    { token },
  );
  expect(answer.organisationId, 'l’organisation de la fiche').toBeTruthy();
  // A published company profile lets a candidate write (seed 004: « candidature spontanée »).
  expect(answer.allowed).toBe(true);
  await page.goto(`/entreprises/${company.id}`);
  await expect(page.getByRole('heading', { level: 1, name: company.name })).toBeVisible();
  await expect(page.getByRole('link', { name: /Connectez-vous pour contacter l’entreprise/ })).toBeVisible();

  const m = new PortalMessagesPage(page);
  await m.signIn(CANDIDATE, `/entreprises/${company.id}`);
  await page.getByRole('link', { name: /^Contacter l’entreprise/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  // The form addressed to the company's organisation, or the conversation already open with it.
  await expect(page.getByRole('textbox', { name: 'Message', exact: true })).toBeVisible();
  await m.expectAccessible('contacter l’entreprise');
});
