import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, screenPath, test } from './fixtures/server';

/**
 * Every page of the candidate portal, anonymous and signed in, passes an axe-core check (WCAG 2.1
 * A and AA rules) with no serious or critical violation. A phone-sized screenshot of each page is
 * kept in out/test-results/screens/ for review.
 */

async function check(page: Page, path: string, name: string) {
  await page.goto(path);
  await expect(page.locator('h1').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect
    .soft(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      `${name} (${path})`,
    )
    .toEqual([]);
  await page.screenshot({ path: screenPath(`a11y-${name}`), fullPage: true });
}

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 390, height: 844 } });

test('chaque page publique du portail est accessible (axe-core)', async ({ page, server }) => {
  test.setTimeout(180_000);
  const offers = await server.api<{ items: { id: string; number: string }[] }>(
    '/api/public/offers?pageSize=1',
  );
  const offer = offers.items[0]!;
  const companies = await server.api<{ items: { id: string }[] }>('/api/public/companies');
  const company = companies.items[0]!;
  const pages: [string, string][] = [
    ['/', 'accueil-recherche'],
    ['/?motsCles=boulanger&commune=11069&rayon=30', 'resultats'],
    [`/offres/${offer.number}`, 'offre'],
    [`/offres/${offer.id}/postuler`, 'postuler-sans-compte'],
    ['/entreprises', 'entreprises'],
    [`/entreprises/${company.id}`, 'entreprise'],
    [`/entreprises/${company.id}/candidature-spontanee`, 'candidature-spontanee'],
    ['/prescripteurs', 'prescripteurs'],
    ['/connexion', 'connexion'],
    ['/inscription', 'inscription'],
    ['/mot-de-passe-oublie', 'mot-de-passe-oublie'],
    ['/nouveau-mot-de-passe?jeton=inconnu', 'nouveau-mot-de-passe'],
    ['/confirmer-email?jeton=inconnu', 'confirmer-email'],
    ['/suivi-candidature?jeton=inconnu', 'suivi-candidature'],
    ['/alertes/desinscription?jeton=inconnu', 'desinscription'],
    ['/page-inconnue', 'introuvable'],
  ];
  for (const [path, name] of pages) await check(page, path, name);
});

test('chaque page de l’espace candidat est accessible (axe-core)', async ({ page, server }) => {
  test.setTimeout(180_000);
  const token = await server.login('candidat@demo.test');
  const cvs = await server.api<{ id: string }[] | { items: { id: string }[] }>('/api/candidate/cvs', {
    token,
  });
  const cvId = (Array.isArray(cvs) ? cvs : cvs.items)[0]!.id;

  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail').fill('candidat@demo.test');
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('navigation', { name: 'Mon espace candidat' })).toBeVisible();

  const pages: [string, string][] = [
    ['/mon-compte', 'mon-profil'],
    ['/mon-compte/recherche', 'ma-recherche'],
    ['/mon-compte/parametres', 'parametres'],
    ['/mes-cv', 'mes-cv'],
    [`/mes-cv/${cvId}`, 'cv'],
    ['/mes-dossiers', 'mes-dossiers'],
    ['/mes-candidatures', 'mes-candidatures'],
    ['/mes-selections', 'mes-selections'],
    ['/mes-alertes', 'mes-alertes'],
  ];
  for (const [path, name] of pages) await check(page, path, name);
});
