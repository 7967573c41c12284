import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, screenPath, test } from './fixtures/server';

/**
 * Issue 4 « CVs » (seed 002 « Le dépôt de CV »): Thomas Garcia builds a third CV in four steps to a
 * gauge of 100 %, a star rating set with the keyboard, a personal file attached; publishes it and
 * recruiters pull it from the CVthèque. A CV under the threshold opens the reminder (« Ignorer et
 * continuer » / « Compléter votre CV »). Suspend and delete from « Mes CV ». Accessibility of each
 * page (axe-core: no serious or critical violation).
 */

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function signIn(page: Page) {
  const res = await page.request.post('/api/auth/login', {
    data: { email: 'candidat@demo.test', password: 'demo-demo-demo' },
  });
  expect(res.ok()).toBe(true);
}

const gauge = (page: Page) => page.getByRole('meter', { name: 'Taux de saisie de votre CV' });

test('build a CV to 100 %, publish it, recruiters see it in the CVthèque', async ({ page, server }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.goto('/mes-cv');
  await expect(page.getByRole('heading', { level: 1, name: 'Mes CV' })).toBeVisible();
  await expect(
    page.getByRole('heading', { level: 2, name: 'Boulanger confirmé, pain de tradition' }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Commis de cuisine' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Créer un CV', exact: true }).click();
  await expect(
    page.getByRole('heading', { level: 2, name: 'Étape 0 : Ma cible professionnelle' }),
  ).toBeVisible();
  await expect(gauge(page)).toHaveAttribute('aria-valuenow', '0');

  // Étape 0: the job (ROME appellation), a workplace, contract and working time.
  await page.getByLabel('Chercher un métier').fill('vendeur en épicerie');
  await page.getByRole('button', { name: 'Choisir « Vendeur / Vendeuse en épicerie » (D1106)' }).click();
  await expect(page.getByText('Métier choisi : Vendeur / Vendeuse en épicerie')).toBeVisible();
  await page.getByLabel(/Ajouter une commune/).fill('Narbonne');
  await page
    .getByRole('option', { name: /^Narbonne/ })
    .first()
    .click();
  await expect(page.getByRole('list', { name: 'Lieux choisis' })).toContainText('Narbonne');
  await page.getByLabel('CDI').check();
  await page.getByLabel('Temps plein').check();
  await expect(gauge(page)).toHaveAttribute('aria-valuenow', '30');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

  // Étape 1: accroche, an experience until today, a diploma, three skills, a language, a licence, a file.
  await expect(
    page.getByRole('heading', { level: 2, name: 'Étape 1 : Les informations de mon CV' }),
  ).toBeFocused();
  await expect(page.getByLabel('Titre du CV')).toHaveValue('Vendeur / Vendeuse en épicerie');
  await page
    .getByLabel('Accroche')
    .fill(
      'Vendeur attentif aux clients, je conseille sur les produits frais et tiens un rayon impeccable du matin au soir.',
    );
  await page.getByRole('button', { name: 'Ajouter une expérience' }).click();
  await expect(page.getByLabel('Entreprise')).toBeFocused();
  await page.getByLabel('Entreprise').fill('Épicerie Fine du Port');
  await page.getByLabel('Poste occupé').fill('Vendeur');
  await page.getByLabel('Début', { exact: true }).fill('2020-03');
  await page.getByLabel('Jusqu’à aujourd’hui (poste actuel)').check();
  await expect(page.getByLabel('Fin', { exact: true })).toBeDisabled();
  await page
    .getByLabel('Description de vos activités')
    .fill('Mise en rayon, conseil client, tenue de caisse et commandes fournisseurs.');
  await page.getByRole('button', { name: 'Ajouter une formation' }).click();
  await page.getByLabel('Intitulé du diplôme ou de la formation').fill('CAP Employé de vente spécialisé');
  await page.getByLabel('Date d’obtention').fill('2018');
  for (const [i, label] of ['Conseil client', 'Tenue de caisse', 'Gestion des stocks'].entries()) {
    await page.getByRole('button', { name: 'Ajouter une compétence' }).click();
    await page.getByLabel('Compétence', { exact: true }).nth(i).fill(label);
  }
  // Stars: one with the mouse, one with the keyboard (arrows move in the radio group).
  await page.locator('label', { hasText: '5 étoiles sur 5 (Expert)' }).first().click();
  const second = page.getByRole('group', { name: 'Niveau en Tenue de caisse' });
  await second.getByRole('radio', { name: '3 étoiles sur 5 (Confirmé)' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(second.getByRole('radio', { name: '4 étoiles sur 5 (Avancé)' })).toBeChecked();
  await page.getByRole('button', { name: 'Ajouter une langue' }).click();
  await page.getByLabel('Langue', { exact: true }).fill('Anglais');
  await page.getByLabel('B (voiture)', { exact: true }).check();
  await page.getByLabel('Joindre mon CV personnel').setInputFiles({
    name: 'cv-thomas.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Thomas Garcia\nVendeur en épicerie fine\n'),
  });
  await expect(page.getByRole('link', { name: 'cv-thomas.txt' })).toBeVisible();
  await expect(gauge(page)).toHaveAttribute('aria-valuenow', '100');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

  // Étape 2: layouts (PDF helper), then on.
  await expect(page.getByRole('heading', { level: 2, name: 'Étape 2 : Mise en page' })).toBeVisible();
  await page.getByRole('button', { name: 'Continuer', exact: true }).click();

  // Étape 3: online and visible in the CVthèque: at 100 %, no reminder.
  await expect(page.getByRole('heading', { level: 2, name: 'Étape 3 : Mise en ligne' })).toBeVisible();
  await expect(page.getByLabel(/Rendre mon CV visible dans la CVthèque/)).toBeChecked();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Mettre en ligne mon CV' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Votre CV est en ligne' })).toBeVisible();
  await page.screenshot({ path: screenPath('portal-cv-published'), fullPage: true });

  const cvId = new URL(page.url()).pathname.split('/').pop()!;
  const saved = await page.request.get(`/api/candidate/cvs/${cvId}`);
  const cv = await saved.json();
  expect(cv).toMatchObject({
    status: 'publie',
    completeness: 100,
    licences: ['B'],
    file: { name: 'cv-thomas.txt' },
  });
  expect(cv.skills.map((s: { level: number }) => s.level)).toEqual([5, 4, 3]);

  // Recruiters pull it from the CVthèque.
  const token = await server.login('recruteur1@demo.test');
  const pulled = await server.api<{ documents: { id: string; title: string }[] }>(
    '/api/sync/cvs/v1/pull?batchSize=50',
    {
      token,
    },
  );
  expect(pulled.documents.map((d) => d.id)).toContain(cvId);

  await page.getByRole('link', { name: 'Retour à mes CV' }).first().click();
  await expect(page.getByRole('heading', { level: 2, name: 'Vendeur / Vendeuse en épicerie' })).toBeVisible();
});

test('the reminder under the threshold; suspend and delete from « Mes CV »', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.goto('/mes-cv');
  await page.getByLabel('Recopier les expériences et formations d’un CV existant (facultatif)').selectOption({
    label: 'Boulanger confirmé, pain de tradition',
  });
  await page.getByRole('button', { name: 'Créer un CV', exact: true }).click();
  await page.getByLabel('Chercher un métier').fill('agent de nettoyage industriel');
  await page
    .getByRole('button', { name: /Choisir « Agent \/ Agente de nettoyage industriel »/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await expect(
    page.getByRole('heading', { level: 2, name: 'Étape 1 : Les informations de mon CV' }),
  ).toBeFocused();
  // The copied experiences and diplomas are there.
  await expect(page.getByLabel('Entreprise').first()).toHaveValue('Boulangerie du Marché');
  await page.getByRole('link', { name: 'Étape 3 : Mise en ligne' }).click();

  // Under the threshold the reminder opens: complete, or ignore and continue.
  await page.getByRole('button', { name: 'Mettre en ligne mon CV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Taux de saisie de votre CV' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Votre CV est complété à');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Compléter votre CV' }).click();
  await expect(
    page.getByRole('heading', { level: 2, name: 'Étape 1 : Les informations de mon CV' }),
  ).toBeVisible();
  await page.getByRole('link', { name: 'Étape 3 : Mise en ligne' }).click();
  await page.getByLabel(/CV anonyme/).check();
  await page.getByRole('button', { name: 'Mettre en ligne mon CV' }).click();
  await dialog.getByRole('button', { name: 'Ignorer et continuer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Votre CV est en ligne' })).toBeVisible();

  // Suspend, then delete with confirmation.
  await page.goto('/mes-cv');
  const card = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: 'Agent / Agente de nettoyage industriel' }) });
  await expect(card).toContainText('En ligne');
  await card.getByRole('button', { name: /Suspendre/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'est suspendu' })).toBeVisible();
  await expect(card).toContainText('Suspendu');
  await card.getByRole('button', { name: /Supprimer/ }).click();
  const confirm = page.getByRole('dialog', { name: 'Supprimer ce CV ?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Annuler' }).click();
  await expect(confirm).toBeHidden();
  await card.getByRole('button', { name: /Supprimer/ }).click();
  await confirm.getByRole('button', { name: 'Supprimer le CV' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'est supprimé' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Agent / Agente de nettoyage industriel' })).toHaveCount(0);
});
