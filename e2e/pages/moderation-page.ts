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

  /** Codes of the automatic flags shown on an offer (« mention-hf-absente », « critere-discriminatoire »…). */
  async flags(title: string): Promise<string[]> {
    return this.item(title)
      .locator('[data-flag]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-flag') ?? ''));
  }

  /** Refuses with a reason (5 to 1,000 characters) the author will read. */
  async refuse(title: string, reason: string): Promise<void> {
    const item = this.item(title);
    await expect(item).toBeVisible();
    await item.getByRole('button', { name: 'Refuser', exact: true }).click();
    await item.getByRole('textbox', { name: /Motif du refus/ }).fill(reason);
    await item.getByRole('button', { name: 'Confirmer le refus', exact: true }).click();
    await expect(item).toHaveCount(0);
  }

  async publish(title: string): Promise<void> {
    const item = this.item(title);
    await expect(item).toBeVisible();
    await item.getByRole('button', { name: 'Publier', exact: true }).click();
    await expect(item).toHaveCount(0);
  }
}
