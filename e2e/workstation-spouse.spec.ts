import { expectAccessible } from './fixtures/checks';
import { expect, screenPath, test } from './fixtures/server';
import { WorkstationPage } from './pages/workstation-page';

test.describe('rapprochement de conjoints', () => {
  test('embaucher, enregistrer la recherche du conjoint, la suivre et la trouver dans la CVthèque', async ({
    page,
    context,
  }) => {
    const ws = new WorkstationPage(page);
    await ws.goto();
    await ws.signIn('recruteur1@demo.test');
    await ws.waitForInitialSync(2);

    // Hire the demo applicant Camille Lefèvre (présélectionnée).
    await ws.nav.getByRole('button', { name: 'Mes candidats' }).click();
    await page.getByTestId('filter-toutes').click();
    const camille = page.getByTestId('applicant-row').filter({ hasText: 'Camille Lefèvre' }).first();
    await camille.locator('[data-col="name"]').focus();
    await expect(page.getByTestId('applicant-name')).toHaveText('Camille Lefèvre');
    await page.keyboard.press('h');
    const hire = page.getByTestId('hire-dialog');
    if (await hire.isVisible().catch(() => false)) await hire.getByTestId('hire-confirm').click();
    await ws.expectPending((n) => n === 0, 'l’embauche est synchronisée');

    await page.getByTestId('spouse-search-button').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Rapprochement de conjoints' })).toBeVisible();
    await expect(page.getByText('Conjoint de Camille Lefèvre')).toBeVisible();

    // Submitting empty: the summary names the fields, focused.
    await page.getByRole('button', { name: 'Mettre en ligne dans la CVthèque' }).click();
    const summary = page.locator('.error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Le prénom du conjoint est obligatoire.');
    await expect(summary).toContainText('consentement');

    await page.getByLabel('Prénom').fill('Élodie');
    await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Fabre');
    await page.getByLabel('E-mail').fill('elodie.fabre@exemple.test');
    const job = page.getByRole('combobox', { name: 'Métier recherché' });
    await job.fill('boulanger');
    await page
      .getByRole('listbox', { name: 'Métier recherché' })
      .getByRole('option', { name: /Boulanger/ })
      .first()
      .click();
    const commune = page.getByRole('combobox', { name: 'Commune souhaitée (5 au plus)' });
    await commune.fill('Carcassonne');
    await page
      .getByRole('listbox', { name: 'Commune souhaitée (5 au plus)' })
      .getByRole('option', { name: /Carcassonne/ })
      .first()
      .click();
    await expect(page.getByRole('list', { name: 'Communes souhaitées' })).toContainText('Carcassonne');
    await page.getByRole('checkbox', { name: 'CDI' }).check();
    await page.getByLabel('Disponibilité').selectOption('immediate');
    await page.getByLabel('Présentation').fill('Boulangère depuis huit ans, arrive dans l’Aude.');
    await page.getByRole('checkbox', { name: /donne son accord/ }).check();

    // Offline: said plainly, nothing sent.
    await context.setOffline(true);
    await expect(page.getByTestId('spouse-offline')).toBeVisible({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Mettre en ligne dans la CVthèque' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'rien n’a été envoyé' })).toBeVisible();
    await page.screenshot({ path: screenPath('spouse-01-hors-ligne'), fullPage: true });
    await context.setOffline(false);
    await expect(page.getByTestId('spouse-offline')).toBeHidden({ timeout: 30_000 });
    await expectAccessible(page, 'rapprochement');

    await page.getByRole('button', { name: 'Mettre en ligne dans la CVthèque' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Rapprochements de conjoints' })).toBeVisible();
    const row = page.getByTestId('spouse-searches').getByRole('row').filter({ hasText: 'Élodie Fabre' });
    await expect(row).toContainText('Camille Lefèvre');
    await expect(row).toContainText('En ligne');
    await expect(row).toContainText('0 proposition');
    await expectAccessible(page, 'rapprochement');
    await page.screenshot({ path: screenPath('spouse-02-suivi'), fullPage: true });

    // In the CVthèque, with its label.
    await row.getByRole('button', { name: /Voir le CV/ }).click();
    await expect(page.getByTestId('cv-origin').first()).toContainText('Rapprochement de conjoints');
    await expect(page.getByTestId('cv-origin').first()).toContainText('Boulangeries Martin');
    await expect(page.getByRole('link', { name: 'elodie.fabre@exemple.test' })).toBeVisible();
  });
});
