import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../fixtures/server';

/** « Mes messages » of the candidate portal (issue 7). */
export class PortalMessagesPage {
  constructor(readonly page: Page) {}

  /** Signs in through the form and lands on `returnTo`. */
  async signIn(email: string, returnTo = '/mes-messages', password = DEMO_PASSWORD): Promise<void> {
    await this.page.goto(`/connexion?retour=${encodeURIComponent(returnTo)}`);
    await this.page.getByLabel('Adresse e-mail').fill(email);
    await this.page.getByLabel('Mot de passe').fill(password);
    await this.page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(this.page.getByRole('navigation', { name: 'Mon espace candidat' })).toBeVisible();
  }

  navLink(): Locator {
    return this.page
      .getByRole('navigation', { name: 'Mon espace candidat' })
      .getByRole('link', { name: /^Mes messages/ });
  }

  async gotoList(): Promise<void> {
    await this.navLink().click();
    await this.expectLoaded('Mes messages');
  }

  async expectLoaded(h1: string | RegExp): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: h1 })).toBeVisible();
    await expect(this.page.locator('[aria-busy="true"]')).toHaveCount(0);
  }

  items(): Locator {
    return this.page.locator('article.conversation-item');
  }

  messages(): Locator {
    return this.page.locator('ol.message-list > li');
  }

  replyBox(): Locator {
    return this.page.getByLabel('Votre message', { exact: true });
  }

  async reply(text: string): Promise<void> {
    await this.replyBox().fill(text);
    await this.page
      .getByRole('region', { name: 'Répondre à ce message' })
      .getByRole('button', { name: 'Envoyer' })
      .click();
    await expect(
      this.page.getByRole('status').filter({ hasText: 'Votre message est envoyé.' }),
    ).toBeVisible();
  }

  async confirm(action: RegExp, confirmLabel: string): Promise<void> {
    await this.page.getByRole('button', { name: action }).click();
    await this.page.getByRole('button', { name: confirmLabel }).click();
  }

  /** No serious or critical axe-core violation (WCAG 2.1 A and AA). */
  async expectAccessible(name: string): Promise<void> {
    const results = await new AxeBuilder({ page: this.page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      name,
    ).toEqual([]);
  }
}
