import { expect, type Locator, type Page } from '@playwright/test';

/** The moderation screen of the workstation (moderators of the platform organisation). */
export class ModerationPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    const nav = this.page.getByRole('navigation', { name: 'Menu principal' });
    const current = nav.getByRole('button', { name: 'Modération' });
    if ((await current.getAttribute('aria-current')) !== 'page') await current.click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Modération des offres' })).toBeVisible();
  }

  item(title: string): Locator {
    return this.page
      .getByTestId('moderation-item')
      .filter({ has: this.page.getByRole('heading', { name: title, exact: true }) });
  }

  async publish(title: string): Promise<void> {
    const item = this.item(title);
    await expect(item).toBeVisible();
    await item.getByRole('button', { name: 'Publier', exact: true }).click();
    await expect(item).toHaveCount(0);
  }
}
