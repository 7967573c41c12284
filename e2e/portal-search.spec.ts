import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { type E2eServer, expect, screenPath, test } from './fixtures/server';

/**
 * Offer search on the portal (seed 002): keywords and radius around a commune, exact and close
 * sections with distances, an offer page with its schema.org JobPosting (rendered by React and in
 * the server's HTML, not blocked by the CSP), errors in French, « envoyer à un ami », accessibility.
 */

const BAKERY_ORG = '0b0e0000-0000-4000-8000-000000000001';
const seeded = new Map<
  string,
  Promise<Record<'carcassonne' | 'narbonne' | 'toulouse', { id: string; title: string }>>
>();

async function commune(server: E2eServer, code: string) {
  return server.api<{
    code: string;
    name: string;
    postalCodes: string[];
    latitude: number;
    longitude: number;
  }>(`/api/reference/communes/${code}`);
}

/** Three bakery offers with their commune and position, published through moderation. */
function seedOffers(server: E2eServer) {
  let run = seeded.get(server.url);
  if (!run) {
    run = (async () => {
      const recruiter = await server.login('recruteur1@demo.test');
      const moderator = await server.login('moderateur@demo.test');
      const now = new Date().toISOString();
      const make = async (code: string, title: string, contract: string) => {
        const c = await commune(server, code);
        return {
          id: randomUUID(),
          organisationId: BAKERY_ORG,
          title,
          jobTitle: 'Boulanger / Boulangère',
          romeCode: 'D1102',
          city: c.name,
          postalCode: c.postalCodes[0],
          communeCode: c.code,
          latitude: c.latitude,
          longitude: c.longitude,
          companyName: 'Boulangeries Martin',
          contactName: 'Interne',
          contactPhone: '04 68 00 00 00',
          seasonal: false,
          contractTypes: [contract],
          description: 'Pains au levain, viennoiseries et fournil au bois : rejoignez une équipe passionnée.',
          status: 'en_attente',
          createdAt: now,
          updatedAt: now,
          _deleted: false,
        };
      };
      const docs = {
        carcassonne: await make('11069', 'Boulanger de tradition H/F', 'CDI'),
        narbonne: await make('11262', 'Boulanger fournier H/F', 'CDI'),
        toulouse: await make('31555', 'Boulanger de nuit H/F', 'CDD'),
      };
      const conflicts = await server.api<unknown[]>('/api/sync/offers/v1/push', {
        token: recruiter,
        body: Object.values(docs).map((d) => ({ assumedMasterState: null, newDocumentState: d })),
      });
      expect(conflicts).toEqual([]);
      for (const d of Object.values(docs))
        await server.api(`/api/moderation/offers/${d.id}/decision`, {
          token: moderator,
          body: { decision: 'publier' },
        });
      return {
        carcassonne: { id: docs.carcassonne.id, title: docs.carcassonne.title },
        narbonne: { id: docs.narbonne.id, title: docs.narbonne.title },
        toulouse: { id: docs.toulouse.id, title: docs.toulouse.title },
      };
    })();
    seeded.set(server.url, run);
  }
  return run;
}

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function searchBakersAroundCarcassonne(page: Page) {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Offres d’emploi' })).toBeVisible();
  const keywords = page.getByRole('combobox', { name: 'Métier ou mots-clés' });
  await keywords.fill('boulanger');
  await keywords.press('Escape');
  const place = page.getByRole('combobox', { name: 'Lieu de travail' });
  await place.fill('Carcassonne');
  await page.getByRole('option', { name: 'Carcassonne (11000)' }).click();
  await page.getByLabel('Rayon autour de la commune').selectOption('30');
  await page.getByRole('checkbox', { name: 'CDI', exact: true }).check();
  await page.getByRole('button', { name: 'Lancer la recherche' }).click();
}

test.describe('recherche d’offres sur le portail', () => {
  test('mots-clés et rayon : offres exactes puis proches, avec la distance', async ({ page, server }) => {
    const offers = await seedOffers(server);
    await searchBakersAroundCarcassonne(page);
    await expect(page).toHaveURL(/motsCles=boulanger/);
    await expect(page).toHaveURL(/commune=11069/);
    await expect(page).toHaveURL(/rayon=30/);
    await expect(page).toHaveURL(/contrat=CDI/);

    const exact = page.getByRole('region', { name: /exactement à vos critères/ });
    const close = page.getByRole('region', { name: /proches? de vos critères/ });
    await expect(exact.getByRole('link', { name: offers.carcassonne.title })).toBeVisible();
    await expect(exact.locator('article', { hasText: offers.carcassonne.title })).toContainText('à 0 km');
    await expect(exact.locator('article', { hasText: offers.carcassonne.title })).toContainText(
      /Pertinence : \d+ %/,
    );
    // Narbonne, about 53 km: in the wider radius.
    const narbonne = close.locator('article', { hasText: offers.narbonne.title });
    await expect(narbonne).toContainText('dans un rayon élargi');
    await expect(narbonne).toContainText(/à 5\d(,\d)? km/);
    // Toulouse is a CDD, and too far.
    await expect(page.getByText(offers.toulouse.title)).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Créer une alerte pour cette recherche' })).toHaveAttribute(
      'href',
      /^\/mes-alertes\?.*motsCles=boulanger/,
    );
    // The form shows the criteria of the address.
    await expect(page.getByRole('combobox', { name: 'Lieu de travail' })).toHaveValue('Carcassonne (11000)');
    await page.screenshot({ path: screenPath('portail-recherche'), fullPage: true });
    await expectAccessible(page);

    // Sort by distance.
    await page.getByLabel('Trier par').selectOption('distance');
    await page.getByRole('button', { name: 'Trier', exact: true }).click();
    await expect(page).toHaveURL(/tri=distance/);
    await expect(exact.getByRole('link', { name: offers.carcassonne.title })).toBeVisible();
  });

  test('la page d’une offre porte ses données JobPosting, sans erreur de CSP', async ({
    page,
    server,
    request,
  }) => {
    const offers = await seedOffers(server);
    await page.addInitScript(() => {
      const w = window as unknown as { __cspViolations: number };
      w.__cspViolations = 0;
      document.addEventListener('securitypolicyviolation', () => {
        w.__cspViolations++;
      });
    });
    const problems: string[] = [];
    page.on('console', (m) => {
      // The anonymous visitor's session check answers 401: that one is expected.
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      else if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
    });
    await searchBakersAroundCarcassonne(page);
    await page.getByRole('link', { name: offers.carcassonne.title }).click();
    await expect(page).toHaveURL(new RegExp(`/offres/${offers.carcassonne.id}$`));
    await expect(page.getByRole('heading', { level: 1, name: offers.carcassonne.title })).toBeVisible();
    const ld = page.locator('script[type="application/ld+json"]');
    await expect(ld).toHaveCount(1);
    const data = JSON.parse((await ld.textContent()) ?? '{}') as Record<string, unknown>;
    expect(data['@type']).toBe('JobPosting');
    expect(data.title).toBe(offers.carcassonne.title);
    expect(data.hiringOrganization).toMatchObject({ name: 'Boulangeries Martin' });
    const violations = await page.evaluate(
      () => (window as unknown as { __cspViolations?: number }).__cspViolations ?? 0,
    );
    expect(violations).toBe(0);
    expect(problems).toEqual([]);
    await expect(page.getByRole('link', { name: 'Postuler', exact: true })).toHaveAttribute(
      'href',
      `/offres/${offers.carcassonne.id}/postuler`,
    );
    await expect(page.getByRole('heading', { name: 'L’entreprise' })).toBeVisible();
    await page.screenshot({ path: screenPath('portail-offre-jsonld'), fullPage: true });
    await expectAccessible(page);

    // For crawlers: the server's HTML of the page already holds it.
    const html = await (await request.get(`/offres/${offers.carcassonne.id}`)).text();
    expect(html).toContain('<script type="application/ld+json"');
    expect(html).toContain('"@type":"JobPosting"');
    expect(html).not.toContain('04 68 00 00 00');

    // Back to the search.
    await page.getByRole('link', { name: 'Retour aux offres' }).click();
    await expect(page).toHaveURL(/motsCles=boulanger/);
  });

  test('des critères invalides sont signalés en français, champ par champ', async ({ page, server }) => {
    await seedOffers(server);
    await page.goto('/');
    const keywords = page.getByRole('combobox', { name: 'Métier ou mots-clés' });
    await keywords.fill('un deux trois quatre cinq six');
    await keywords.press('Escape');
    await page.getByRole('combobox', { name: 'Lieu de travail' }).fill('Nullepart-sur-Mer');
    await page.getByRole('button', { name: 'Lancer la recherche' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'critères sont à corriger' });
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('au plus 5 mots-clés');
    await expect(summary).toContainText('Choisissez le lieu dans la liste proposée');
    await expect(keywords).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page);
    // A bad address is explained the same way.
    await page.goto('/?rayon=abc&commune=11069');
    await expect(page.getByRole('alert').filter({ hasText: 'Rayon' })).toBeVisible();
  });

  test('envoyer une offre à un ami', async ({ page, server }) => {
    const offers = await seedOffers(server);
    await page.goto(`/offres/${offers.narbonne.id}`);
    await page.getByRole('button', { name: 'Envoyer à un ami' }).click();
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('Indiquez l’adresse e-mail de votre ami.');
    await page.getByLabel('E-mail de votre ami (obligatoire)').fill('ami@exemple.fr');
    await page.getByLabel('Votre nom (facultatif)').fill('Camille');
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await expect(page.getByText('L’offre a été envoyée à ami@exemple.fr.')).toBeVisible();
  });
});
