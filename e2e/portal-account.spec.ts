import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { type E2eServer, expect, screenPath, test } from './fixtures/server';

/**
 * Issue 4 « Accounts and profile »: sign up, confirm the address from the development mailbox
 * (`/dev/courriels`, the server sends through its local SMTP server), sign out and in, forgotten
 * password, edit the profile and the search preferences. Accessibility of the account pages
 * (axe-core: no serious or critical violation).
 */

const EMAIL = `lea.martin.${Date.now()}@exemple.fr`;
const PASSWORD = 'un-mot-de-passe-solide';
const NEW_PASSWORD = 'un-nouveau-mot-de-passe';

interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  links: string[];
}

async function waitForMail(server: E2eServer, to: string, subject: RegExp): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const { messages } = await server.api<{ messages: Mail[] }>(
          `/dev/courriels.json?to=${encodeURIComponent(to)}`,
        );
        found = messages.filter((m) => subject.test(m.subject)).at(-1);
        return !!found;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

/** The path and query of the link of `mail` that contains `path` (links carry the server's address). */
function linkPath(mail: Mail, path: string): string {
  const link = mail.links.find((l) => l.includes(path));
  expect(link, `lien ${path} dans « ${mail.subject} »`).toBeDefined();
  const url = new URL(link!);
  return `${url.pathname}${url.search}`;
}

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('link', { name: 'Se connecter' })).toBeVisible();
}

async function signIn(page: Page, password: string) {
  await page.goto('/connexion?retour=/mon-compte');
  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon compte' })).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test('créer un compte, confirmer l’adresse depuis la boîte de développement, se déconnecter et se reconnecter', async ({
  page,
  server,
}) => {
  await page.goto('/inscription');
  await expect(page.getByRole('heading', { level: 1, name: 'Créer un compte candidat' })).toBeVisible();
  await expectAccessible(page);

  // A refused submit: the summary takes the focus and names the fields.
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: /au moins 10 caractères/ })).toBeVisible();
  await expect(page.getByLabel('Prénom')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Prénom').fill('Léa');
  await page.getByLabel('Nom', { exact: true }).fill('Martin');
  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('combobox', { name: 'Ville' }).fill('Carcass');
  await page
    .getByRole('option', { name: /Carcassonne/ })
    .first()
    .click();
  await page.getByLabel(/J’accepte les conditions/).check();
  await page.getByRole('button', { name: 'Créer mon compte' }).click();

  await expect(page).toHaveURL(/\/mon-compte\?bienvenue=1$/);
  await expect(page.getByText('Votre compte est créé.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Renvoyer le lien' })).toBeVisible();
  await page.screenshot({ path: screenPath('portail-compte-cree') });

  // The e-mail went through SMTP to the development mailbox.
  const mail = await waitForMail(server, EMAIL, /Confirmez votre adresse/);
  await page.goto('/dev/courriels');
  await expect(page.getByRole('heading', { level: 1, name: 'Courriels reçus' })).toBeVisible();
  await page.getByRole('link', { name: 'Confirmez votre adresse e-mail' }).first().click();
  await expect(page.getByRole('link', { name: /\/confirmer-email\?jeton=/ })).toBeVisible();

  await page.goto(linkPath(mail, '/confirmer-email?jeton='));
  await expect(page.getByText(/est confirmée : vous pouvez postuler/)).toBeVisible();
  await expectAccessible(page);

  await page.goto('/mon-compte');
  await expect(page.getByRole('heading', { level: 2, name: 'Mon profil' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Renvoyer le lien' })).toHaveCount(0);

  await signOut(page);
  await page.goto('/connexion');
  await expectAccessible(page);
  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByLabel('Mot de passe').fill('pas-le-bon-mot-de-passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('E-mail ou mot de passe incorrect.');
  await signIn(page, PASSWORD);
  await expect(page.getByText('Léa Martin')).toBeVisible();
});

test('mot de passe oublié : le lien reçu par e-mail permet d’en choisir un nouveau', async ({
  page,
  server,
}) => {
  await page.goto('/mot-de-passe-oublie');
  await expectAccessible(page);
  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByRole('button', { name: 'Recevoir le lien' }).click();
  await expect(page.getByText(/Si un compte existe avec cette adresse/)).toBeVisible();

  const mail = await waitForMail(server, EMAIL, /nouveau mot de passe/);
  await page.goto(linkPath(mail, '/nouveau-mot-de-passe?jeton='));
  await expect(page.getByRole('heading', { level: 1, name: 'Nouveau mot de passe' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirmez le nouveau mot de passe').fill('autre-chose-encore');
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(page.getByRole('alert')).toContainText('ne sont pas identiques');
  await page.getByLabel('Confirmez le nouveau mot de passe').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(page.getByText(/Votre mot de passe est changé et vous êtes connecté/)).toBeVisible();

  await signOut(page);
  await signIn(page, NEW_PASSWORD);
});

test('modifier son profil et sa recherche', async ({ page }) => {
  await signIn(page, NEW_PASSWORD);
  await expectAccessible(page);

  // A bad phone number is refused, named and linked.
  await page.getByRole('textbox', { name: 'Téléphone' }).fill('12');
  await page.getByRole('button', { name: 'Enregistrer mon profil' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await summary.getByRole('link', { name: /numéro de téléphone n’est pas valide/ }).click();
  await expect(page.getByRole('textbox', { name: 'Téléphone' })).toBeFocused();
  await expect(page.getByRole('textbox', { name: 'Téléphone' })).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Madame').check();
  await page.getByRole('textbox', { name: 'Téléphone' }).fill('06 12 34 56 78');
  await page.getByLabel('Afficher mon numéro de téléphone sur mon profil').check();
  await page.getByLabel('Demande de RQTH en cours').check();
  await page.getByLabel('Numéro et rue (facultatif)').fill('3 rue Victor Hugo');
  await page.getByLabel('Intitulé de poste').fill('Vendeuse en boulangerie');
  await page.getByLabel('Qualification').selectOption('employe_qualifie');
  await page.getByLabel('Commerce, vente et grande distribution').check();
  await page.getByLabel('Statut').selectOption('en_poste');
  await page.getByLabel('Disponibilité').selectOption('a_partir_du');
  await page.getByLabel('Disponible à partir du').fill('2027-03-01');
  await page.getByLabel('Mes atouts et compétences').fill('Accueil des clients, caisse, mise en rayon.');
  await page.getByRole('button', { name: 'Enregistrer mon profil' }).click();
  await expect(page.getByText('Votre profil est enregistré.')).toBeVisible();
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Téléphone' })).toHaveValue('06 12 34 56 78');
  await expect(page.getByLabel('Demande de RQTH en cours')).toBeChecked();
  await expect(page.getByLabel('Disponible à partir du')).toHaveValue('2027-03-01');
  await expect(page.getByRole('combobox', { name: 'Commune' })).toHaveValue(/Carcassonne/);

  await page.getByRole('link', { name: 'Ma recherche' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Ma recherche' })).toBeVisible();
  await page.getByRole('group', { name: 'Types de contrat recherchés' }).getByLabel('CDI').check();
  await page.getByLabel('Chercher une profession').fill('boulan');
  await page.getByRole('button', { name: /Ajouter « Boulanger \/ Boulangère »/ }).click();
  await expect(page.getByRole('list', { name: 'Professions choisies' })).toContainText(
    'Boulanger / Boulangère',
  );
  await page.getByLabel('Limite géographique (en km)').fill('30');
  await page.getByLabel('Oui', { exact: true }).check();
  await page.getByLabel('Ma recherche, mes attentes, mes motivations').fill('Un poste en journée.');
  await page.getByRole('button', { name: 'Enregistrer ma recherche' }).click();
  await expect(page.getByText('Votre recherche est enregistrée.')).toBeVisible();
  await expectAccessible(page);

  await page.reload();
  await expect(
    page.getByRole('group', { name: 'Types de contrat recherchés' }).getByLabel('CDI'),
  ).toBeChecked();
  await expect(page.getByLabel('Limite géographique (en km)')).toHaveValue('30');
  await expect(page.getByRole('list', { name: 'Professions choisies' })).toContainText(
    'Boulanger / Boulangère',
  );

  await page.getByRole('link', { name: 'Paramètres' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Modifier mon adresse e-mail' })).toBeVisible();
  await expectAccessible(page);
  await page.setViewportSize({ width: 375, height: 740 });
  await page.getByRole('link', { name: 'Mon profil' }).click();
  await page.screenshot({ path: screenPath('portail-mon-profil-mobile'), fullPage: true });
});
