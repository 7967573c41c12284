import { expect, type Locator, type Page } from '@playwright/test';

/** The candidate portal served at `/`. */
export class PortalPage {
  constructor(readonly page: Page) {}

  async gotoList(page = 1): Promise<void> {
    await this.page.goto(page > 1 ? `/?page=${page}` : '/');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Offres d’emploi' })).toBeVisible();
    await expect(
      this.cards().first().or(this.page.getByText('Aucune offre publiée pour le moment.')),
    ).toBeVisible();
  }

  async gotoOffer(idOrNumber: string): Promise<void> {
    await this.page.goto(`/offres/${encodeURIComponent(idOrNumber)}`);
  }

  cards(): Locator {
    return this.page.locator('article.offer-card');
  }

  /** Titles of the offers listed on the current page, in order. */
  async titles(): Promise<string[]> {
    // Card titles are headings (level 3 under the result sections of the search page).
    return this.cards().locator('.offer-card__title').allInnerTexts();
  }

  /** Publication dates (`datetime` attributes) of the listed offers, in order. */
  async publishedDates(): Promise<string[]> {
    return this.cards()
      .locator('.offer-card__date time')
      .evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
  }

  pagination(): Locator {
    return this.page.getByRole('navigation', { name: 'Pagination' });
  }

  async bodyText(): Promise<string> {
    return this.page.locator('body').innerText();
  }
}
