import { expect, type Locator, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'demo-demo-demo';

/** Values typed in the offer form; labels as the form shows them. */
export interface OfferFields {
  title?: string;
  jobTitle?: string;
  city?: string;
  companyName?: string;
  contactPhone?: string;
  /** Labels of the « Type de contrat » checkboxes to tick (e.g. « CDI »). */
  contractTypes?: string[];
  description?: string;
}

const FIELD_LABELS: Record<Exclude<keyof OfferFields, 'contractTypes'>, string> = {
  title: 'Titre de l’annonce',
  jobTitle: 'Métier',
  city: 'Lieu du poste',
  companyName: 'Entreprise',
  contactPhone: 'Téléphone du contact',
  description: 'Description',
};

/** The web workstation at /workstation/ (the renderer in a browser). */
export class WorkstationPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/workstation/');
  }

  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.getByLabel('E-mail').fill(email);
    await this.page.getByLabel('Mot de passe').fill(password);
    await this.page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(this.syncStatusBar).toBeVisible();
  }

  get nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Menu principal' });
  }

  get syncStatusBar(): Locator {
    return this.page.getByTestId('sync-status');
  }

  /** « En ligne » or « Hors ligne ». */
  syncStatus(): Locator {
    return this.page.getByTestId('connection-state');
  }

  /** Pending local changes, as the header counts them. */
  async pendingCount(): Promise<number> {
    const value = await this.page.getByTestId('pending-count').getAttribute('data-count');
    return Number(value);
  }

  async expectPending(predicate: (n: number) => boolean, message: string): Promise<void> {
    await expect.poll(async () => predicate(await this.pendingCount()), { message }).toBe(true);
  }

  /** The initial sync is done once the organisation's offers are listed and nothing is pending. */
  async waitForInitialSync(minOffers = 1): Promise<void> {
    await expect(this.offerRows()).not.toHaveCount(0);
    await expect.poll(() => this.offerRows().count()).toBeGreaterThanOrEqual(minOffers);
    await expect(this.syncStatus()).toHaveText('En ligne');
    await expect.poll(() => this.pendingCount()).toBe(0);
  }

  async openOffers(): Promise<void> {
    await this.nav.getByRole('button', { name: 'Mes offres' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Mes offres' })).toBeVisible();
  }

  offerRows(): Locator {
    return this.page.getByTestId('offer-row');
  }

  /** The row of the offer with this exact title. */
  offerRow(title: string): Locator {
    return this.offerRows().filter({
      has: this.page.locator('.offer-title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
  }

  async fillOffer(fields: OfferFields): Promise<void> {
    for (const [key, label] of Object.entries(FIELD_LABELS) as [keyof typeof FIELD_LABELS, string][]) {
      const value = fields[key];
      // « Métier » suggests ROME job titles, so it is a combobox rather than a plain text box.
      const role = key === 'jobTitle' ? 'combobox' : 'textbox';
      if (value !== undefined) await this.page.getByRole(role, { name: label, exact: true }).fill(value);
    }
    for (const contract of fields.contractTypes ?? []) {
      await this.page
        .getByRole('group', { name: /Type de contrat/ })
        .getByRole('checkbox', { name: contract, exact: true })
        .check();
    }
  }

  /** « Publier une offre », fill the form, then save it as a draft or submit it. */
  async newOffer(fields: OfferFields, action: 'draft' | 'submit' = 'draft'): Promise<void> {
    await this.nav.getByRole('button', { name: 'Publier une offre' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Mon offre d’emploi' })).toBeVisible();
    await this.fillOffer(fields);
    await this.saveForm(action);
  }

  /** Opens « Modifier » on the offer titled `title`, changes the fields and saves. */
  async editOffer(
    title: string,
    fields: OfferFields,
    action: 'draft' | 'submit' | 'save' = 'draft',
  ): Promise<void> {
    await this.page.getByRole('button', { name: `Modifier « ${title} »`, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: /^Modifier l’offre/ })).toBeVisible();
    await this.fillOffer(fields);
    await this.saveForm(action);
  }

  private async saveForm(action: 'draft' | 'submit' | 'save'): Promise<void> {
    const name = {
      draft: 'Sauvegarder le brouillon',
      submit: 'Soumettre à la modération',
      save: 'Enregistrer les modifications',
    }[action];
    await this.page.getByRole('button', { name, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Mes offres' })).toBeVisible();
  }

  /** « Soumettre à la modération » from the offers list. */
  async submitForModeration(title: string): Promise<void> {
    await this.page
      .getByRole('button', { name: `Soumettre à la modération « ${title} »`, exact: true })
      .click();
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
