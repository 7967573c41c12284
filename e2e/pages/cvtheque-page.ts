import { expect, type Locator, type Page } from '@playwright/test';

/** The workstation's CVthèque screens: search, results, CV detail, lists and history. */
export class CvthequePage {
  constructor(readonly page: Page) {}

  get nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Menu principal' });
  }

  async open(): Promise<void> {
    await this.nav.getByRole('button', { name: 'CVthèque', exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'CVthèque' })).toBeVisible();
    // The form is pre-filled from the organisation once its offers are read.
    await expect(this.page.getByRole('button', { name: 'Rechercher', exact: true })).toBeVisible();
  }

  async openLists(): Promise<void> {
    await this.nav.getByRole('button', { name: 'Mes listes de CV', exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Mes listes de CV' })).toBeVisible();
  }

  keywords(): Locator {
    return this.page.getByRole('searchbox', { name: 'Mots-clés' });
  }

  async search(keywords: string): Promise<void> {
    await this.keywords().fill(keywords);
    await this.page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await expect(this.source()).toBeVisible();
  }

  /** « Résultats du serveur (toute la CVthèque) » or « Résultats de ce poste (hors ligne : …) ». */
  source(): Locator {
    return this.page.getByTestId('cv-source');
  }

  rows(): Locator {
    return this.page.getByTestId('cv-row');
  }

  row(title: string): Locator {
    return this.rows().filter({ has: this.page.getByRole('button', { name: title, exact: true }) });
  }

  async openCv(title: string): Promise<void> {
    await this.row(title).getByRole('button', { name: title, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  }

  /** « Ajouter à une liste » on the CV page: ticks (creating them when needed) the lists named. */
  async addToLists(names: string[]): Promise<void> {
    await this.page.getByRole('button', { name: 'Ajouter à une liste', exact: true }).first().click();
    const dialog = this.page.getByRole('dialog', { name: 'Ajouter à une liste' });
    await expect(dialog).toBeVisible();
    for (const name of names) {
      const box = dialog.getByRole('checkbox', { name: new RegExp(`^${name}`) });
      if ((await box.count()) === 0) {
        await dialog.getByRole('textbox', { name: 'Nouvelle liste' }).fill(name);
        await dialog.getByRole('button', { name: 'Créer la liste' }).click();
      }
      await expect(dialog.getByRole('checkbox', { name: new RegExp(`^${name}`) })).toBeChecked();
    }
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(dialog).toBeHidden();
  }

  history(): Locator {
    return this.page.getByTestId('search-history');
  }

  historyEntry(label: RegExp | string): Locator {
    return this.history().getByTestId('search-entry').filter({ hasText: label });
  }
}
