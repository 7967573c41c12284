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

  /**
   * « Mes paramètres » → « Cet ordinateur » until the job titles, communes and NAF activities say they
   * are available offline (downloaded after sign-in).
   */
  async waitForOfflineLists(): Promise<void> {
    await this.nav.getByRole('button', { name: 'Mes paramètres' }).click();
    for (const kind of ['rome', 'communes', 'naf'])
      await expect(this.page.getByTestId(`reference-status-${kind}`)).toHaveAttribute(
        'data-status',
        'ready',
        {
          timeout: 60_000,
        },
      );
    await expect(this.page.getByTestId('reference-status-communes')).toContainText(
      'Communes : Disponible hors connexion',
    );
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
      if (value === undefined) continue;
      if (key === 'companyName') {
        // « Entreprise » is a list of the organisation's company profiles, or free text without one.
        const list = this.page.getByRole('combobox', { name: label, exact: true });
        if ((await list.count()) > 0) await list.selectOption({ label: value });
        else await this.page.getByRole('textbox', { name: label, exact: true }).fill(value);
        continue;
      }
      // « Métier » and « Lieu du poste » suggest ROME job titles and communes: comboboxes that also take
      // free text (what is filled here; pick a suggestion with chooseSuggestion).
      const role = key === 'jobTitle' || key === 'city' ? 'combobox' : 'textbox';
      await this.page.getByRole(role, { name: label, exact: true }).fill(value);
    }
    for (const contract of fields.contractTypes ?? []) {
      await this.page
        .getByRole('group', { name: /Type de contrat/ })
        .getByRole('checkbox', { name: contract, exact: true })
        .check();
    }
  }

  /** Types in « Métier » or « Lieu du poste » and picks the suggestion whose text contains `option`. */
  async chooseSuggestion(
    label: 'Métier' | 'Lieu du poste',
    text: string,
    option: string | RegExp,
  ): Promise<void> {
    const box = this.page.getByRole('combobox', { name: label, exact: true });
    await box.fill(text);
    await this.page
      .getByRole('listbox', { name: label })
      .getByRole('option', { name: option })
      .first()
      .click();
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

  /**
   * An action of a row of « Mes offres » by its label (« Modifier », « Marquer pourvue »,
   * « Republier telle quelle », « Supprimer »…): a button of the row, or an item of its « Plus » menu.
   */
  async rowAction(title: string, label: string): Promise<void> {
    const name = label === 'Soumettre' ? `Soumettre à la modération « ${title} »` : `${label} « ${title} »`;
    const row = this.offerRow(title);
    const button = row.getByRole('button', { name, exact: true });
    if ((await button.count()) > 0) {
      await button.click();
      return;
    }
    await row.getByRole('button', { name: `Autres actions pour « ${title} »`, exact: true }).click();
    await this.page.getByRole('menuitem', { name, exact: true }).click();
  }

  /** Confirms the dialog an action opened (« Supprimer l’offre », « Marquer pourvue », « Archiver l’offre »). */
  async confirm(label: string): Promise<void> {
    await this.page.getByRole('dialog').getByRole('button', { name: label, exact: true }).click();
  }

  /** Opens the detail panel (number, refusal reason, history) of the offer titled `title`. */
  async openOfferDetail(title: string): Promise<Locator> {
    await this.offerRow(title).locator('.offer-title').click();
    const panel = this.page.getByTestId('offer-panel');
    await expect(panel.getByRole('heading', { level: 2, name: title })).toBeVisible();
    return panel;
  }

  /** « Entreprise » filter of an agency: a client company's name, or « Toutes les entreprises clientes ». */
  async filterByCompany(name: string): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Entreprise', exact: true }).selectOption({ label: name });
  }

  /** « Mes organisations » in the menu: one button per organisation when the user has several. */
  get organisationSwitcher(): Locator {
    return this.nav.getByRole('group', { name: 'Mes organisations' });
  }

  /** The switcher's button of the organisation named `name` (its name, then kind and role). */
  organisationButton(name: string): Locator {
    return this.organisationSwitcher.getByRole('button', { name: new RegExp(`^${escapeRegExp(name)}`) });
  }

  /** One click on `name` in « Mes organisations »; it becomes the current one. */
  async switchOrganisation(name: string): Promise<void> {
    await this.organisationButton(name).click();
    await expect(this.organisationButton(name)).toHaveAttribute('aria-pressed', 'true');
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
