import type { BrowserContext, Locator, Page } from '@playwright/test';
import { type E2eServer, expect, screenPath, test } from './fixtures/server';
import { newWorkstationContext, openWorkstation } from './fixtures/workstation';
import type { WorkstationPage } from './pages/workstation-page';

/**
 * Issue 3 « changer de structure »: Claire Martin (recruteur1@demo.test, administrator of the
 * employer Boulangeries Martin) is invited by Sophie Roux into the agency Occitanie Intérim and
 * accepts from the link of the e-mail. Signed in, « Mes offres » shows the bakery's offers only;
 * one click on the agency in « Mes organisations » and every list follows it (offers of all its
 * client companies together, « Mes candidats », the company menu entry); the choice survives a
 * reload; the switch works with the keyboard and `aria-pressed` says which one is current.
 */

const BAKERY = 'Boulangeries Martin';
const AGENCY = 'Occitanie Intérim';
const AGENCY_ID = '0b0e0000-0000-4000-8000-000000000003';
const INVITEE = 'recruteur1@demo.test';

/** Demo offers of each organisation (published, see sync-server/src/db/seed-demo.ts). */
const BAKERY_OFFERS = [
  'Boulanger / Boulangère H/F',
  'Pâtissier / Pâtissière H/F',
  'Responsable de magasin H/F',
];
/** The agency's offers, one per client company. */
const AGENCY_OFFERS = {
  'Domaine des Corbières': 'Ouvrier / Ouvrière viticole H/F',
  'Hôtel de la Cité': 'Réceptionniste d’hôtel H/F',
  'Conserverie du Lauragais': 'Agent / Agente de production agroalimentaire H/F',
};
/** A demo applicant of the bakery's offers (seed-demo-triage.ts). */
const BAKERY_APPLICANT = 'Karim Haddad';

interface Mail {
  subject: string;
  text: string;
  links: string[];
}

async function waitForInvitation(server: E2eServer): Promise<string> {
  let mail: Mail | undefined;
  await expect
    .poll(
      async () => {
        const { messages } = await server.api<{ messages: Mail[] }>(
          `/dev/courriels.json?to=${encodeURIComponent(INVITEE)}`,
        );
        mail = messages.filter((m) => m.subject.includes(`rejoindre « ${AGENCY} »`)).at(-1);
        return !!mail;
      },
      { timeout: 15_000, message: 'l’e-mail d’invitation arrive dans la boîte de développement' },
    )
    .toBe(true);
  const link = mail!.links.find((l) => l.includes('/workstation/?invitation='));
  expect(link, 'lien d’invitation dans l’e-mail').toBeDefined();
  const url = new URL(link!);
  return `${url.pathname}${url.search}`;
}

async function expectBakeryOffers(ws: WorkstationPage, page: Page) {
  await expect(page.getByRole('table').locator('caption')).toContainText(`Offres de ${BAKERY}`);
  for (const title of BAKERY_OFFERS) await expect(ws.offerRow(title)).toBeVisible();
  for (const title of Object.values(AGENCY_OFFERS)) await expect(ws.offerRow(title)).toHaveCount(0);
}

async function expectAgencyOffers(ws: WorkstationPage, page: Page) {
  await expect(page.getByRole('table').locator('caption')).toContainText(`Offres de ${AGENCY}`);
  for (const title of Object.values(AGENCY_OFFERS)) await expect(ws.offerRow(title)).toBeVisible();
  for (const title of BAKERY_OFFERS) await expect(ws.offerRow(title)).toHaveCount(0);
}

/** Presses Tab until `target` has the focus (it must be reachable with the keyboard). */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`Élément non atteint après ${max} appuis sur Tab.`);
}

test.describe('plusieurs organisations : changer de structure en un clic', () => {
  test.describe.configure({ timeout: 240_000 });

  const contexts: BrowserContext[] = [];
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  test('invitée dans une agence, la recruteuse passe d’une organisation à l’autre et chaque liste suit', async ({
    browser,
    server,
  }) => {
    // 1. The agency's administrator invites Claire's address (employer + agency: allowed).
    const agencyToken = await server.login('agence@demo.test');
    await server.api(`/api/organisations/${AGENCY_ID}/invitations`, {
      token: agencyToken,
      body: { email: INVITEE },
    });
    const invitationPath = await waitForInvitation(server);

    // 2. Claire opens the link, signs in with her existing account and joins.
    const invited = await newWorkstationContext(browser, server);
    contexts.push(invited.context);
    await invited.page.goto(invitationPath);
    await expect(invited.page.getByText(`« ${AGENCY} »`).first()).toBeVisible();
    await invited.page.getByRole('button', { name: 'Me connecter pour accepter' }).click();
    await invited.ws.signIn(INVITEE);
    await expect(
      invited.page.getByRole('heading', { level: 1, name: 'Invitation à rejoindre une organisation' }),
    ).toBeVisible();
    await invited.page.getByRole('button', { name: `Rejoindre « ${AGENCY} »` }).click();
    await expect(invited.page.getByTestId('announcement')).toHaveText(`Vous avez rejoint « ${AGENCY} ».`);
    // The switcher now lists both; the organisation just joined is the current one.
    await expect(invited.ws.organisationButton(AGENCY)).toHaveAttribute('aria-pressed', 'true');
    await expect(invited.ws.organisationButton(BAKERY)).toHaveAttribute('aria-pressed', 'false');
    await invited.context.close();

    // 3. Signed in on another browser, she starts in her first organisation: the bakery's offers only.
    const { context, page, ws } = await openWorkstation(browser, server, INVITEE);
    contexts.push(context);
    await ws.waitForInitialSync(BAKERY_OFFERS.length);
    await expect(ws.organisationSwitcher.getByRole('button')).toHaveCount(2);
    await expect(ws.organisationButton(BAKERY)).toHaveAttribute('aria-pressed', 'true');
    await expect(ws.organisationButton(AGENCY)).toHaveAttribute('aria-pressed', 'false');
    await expectBakeryOffers(ws, page);
    await expect(ws.nav.getByRole('button', { name: 'Ma fiche entreprise' })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Entreprise', exact: true })).toHaveCount(0);

    // « Mes candidats » is the bakery's too.
    await ws.nav.getByRole('button', { name: 'Mes candidats' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mes candidats' })).toBeVisible();
    await expect(
      page.getByTestId('applicant-row').filter({ hasText: BAKERY_APPLICANT }).first(),
    ).toBeVisible();

    // 4. One click on the agency: the applicants list follows at once…
    await ws.switchOrganisation(AGENCY);
    await expect(ws.organisationButton(BAKERY)).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('announcement')).toHaveText(`Organisation courante : ${AGENCY}.`);
    await expect(page.getByRole('heading', { level: 1, name: 'Mes candidats' })).toBeVisible();
    await expect(page.locator('#contenu [aria-busy="true"]')).toHaveCount(0);
    await expect(page.getByTestId('applicant-row').filter({ hasText: BAKERY_APPLICANT })).toHaveCount(0);

    // …and so do the offers: every client company's together, none of the bakery's.
    await ws.openOffers();
    await expectAgencyOffers(ws, page);
    await expect(ws.nav.getByRole('button', { name: 'Entreprises clientes' })).toBeVisible();
    await expect(ws.nav.getByRole('button', { name: 'Ma fiche entreprise' })).toHaveCount(0);
    const companyFilter = page.getByRole('combobox', { name: 'Entreprise', exact: true });
    await expect(companyFilter.locator('option:checked')).toHaveText('Toutes les entreprises clientes');
    await page.screenshot({ path: screenPath('organisations-01-agence'), fullPage: true });
    // One client company at a time, then all of them again.
    await ws.filterByCompany('Hôtel de la Cité');
    await expect(ws.offerRow(AGENCY_OFFERS['Hôtel de la Cité'])).toBeVisible();
    await expect(ws.offerRow(AGENCY_OFFERS['Domaine des Corbières'])).toHaveCount(0);
    await ws.filterByCompany('Toutes les entreprises clientes');
    await expectAgencyOffers(ws, page);

    // 5. The choice survives a reload.
    await page.reload();
    await expect(ws.syncStatusBar).toBeVisible();
    await expect(ws.organisationButton(AGENCY)).toHaveAttribute('aria-pressed', 'true');
    await expect(ws.organisationButton(BAKERY)).toHaveAttribute('aria-pressed', 'false');
    await expectAgencyOffers(ws, page);

    // 6. Keyboard only, from the top of the page: Tab reaches the bakery's button, Space switches back.
    await page.getByRole('link', { name: 'Aller au contenu' }).focus();
    await tabTo(page, ws.organisationButton(BAKERY));
    await page.keyboard.press('Space');
    await expect(ws.organisationButton(BAKERY)).toHaveAttribute('aria-pressed', 'true');
    await expect(ws.organisationButton(AGENCY)).toHaveAttribute('aria-pressed', 'false');
    await expect(ws.organisationButton(BAKERY)).toBeFocused();
    await expectBakeryOffers(ws, page);
    await page.keyboard.press('Tab');
    await expect(ws.organisationButton(AGENCY)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(ws.organisationButton(AGENCY)).toHaveAttribute('aria-pressed', 'true');
    await expectAgencyOffers(ws, page);
  });
});
