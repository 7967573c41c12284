import { expect, type Locator, type Page } from '@playwright/test';

/** The workstation's « Salons et sessions » screens: list, form, event page with « Préparer le salon ». */
export class FairPage {
  constructor(readonly page: Page) {}

  get nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Menu principal' });
  }

  async open(): Promise<void> {
    await this.nav.getByRole('button', { name: 'Salons et sessions', exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Salons et sessions' })).toBeVisible();
  }

  /** Fills « Nouveau salon », ticks the first `offers` offers presented, and creates it. */
  async createSalon(fields: {
    name: string;
    date: string;
    start: string;
    end: string;
    place: string;
    offers: number;
    public: boolean;
  }): Promise<string[]> {
    await this.page.getByRole('button', { name: 'Nouveau salon', exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Nouveau salon' })).toBeVisible();
    await this.page.getByRole('textbox', { name: 'Nom', exact: true }).fill(fields.name);
    await this.page.getByRole('textbox', { name: 'Date', exact: true }).fill(fields.date);
    await this.page.getByRole('textbox', { name: 'Heure de début', exact: true }).fill(fields.start);
    await this.page.getByRole('textbox', { name: 'Heure de fin', exact: true }).fill(fields.end);
    await this.page.getByRole('textbox', { name: 'Nom du lieu', exact: true }).fill(fields.place);
    const offers = this.page.getByRole('group', { name: 'Offres présentées' }).getByRole('checkbox');
    await expect(offers.first()).toBeVisible();
    const titles: string[] = [];
    for (let i = 0; i < fields.offers; i++) {
      const box = offers.nth(i);
      await box.check();
      const id = await box.getAttribute('id');
      titles.push((await this.page.locator(`label[for="${id}"]`).innerText()).trim());
    }
    if (fields.public)
      await this.page.getByRole('checkbox', { name: /Public : annoncé dans l’agenda/ }).check();
    await this.page.getByRole('button', { name: 'Créer', exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: fields.name })).toBeVisible();
    return titles;
  }

  async prepare(): Promise<void> {
    await this.page.getByRole('button', { name: 'Préparer le salon', exact: true }).click();
  }

  prepareCount(): Locator {
    return this.page.getByTestId('prepare-count');
  }

  ready(): Locator {
    return this.page.getByTestId('prepare-ready');
  }

  candidates(): Locator {
    return this.page.getByTestId('event-candidates');
  }

  /** « Demander une session » to a partner prescriber about one of the organisation's offers. */
  async requestSession(fields: { name: string; partner: string; message: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'Demander une session', exact: true }).click();
    await expect(
      this.page.getByRole('heading', { level: 1, name: 'Demander une session de recrutement' }),
    ).toBeVisible();
    await this.page.getByRole('textbox', { name: 'Nom', exact: true }).fill(fields.name);
    const partner = this.page.getByRole('combobox', { name: 'Prescripteur partenaire' });
    await partner.fill(fields.partner.split(' ')[0]!);
    await this.page.getByRole('button', { name: new RegExp(`^${fields.partner}`) }).click();
    await this.page.getByRole('combobox', { name: 'Offre concernée' }).selectOption({ index: 1 });
    await this.page.getByRole('textbox', { name: 'Message au prescripteur' }).fill(fields.message);
    await this.page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: fields.name })).toBeVisible();
  }

  /** The advisor schedules a session asked of its organisation, from its page. */
  async schedule(fields: { date: string; start: string; end: string; place: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'Planifier la session', exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: /^Planifier la session/ })).toBeVisible();
    await this.page.getByRole('textbox', { name: 'Date', exact: true }).fill(fields.date);
    await this.page.getByRole('textbox', { name: 'Heure de début', exact: true }).fill(fields.start);
    await this.page.getByRole('textbox', { name: 'Heure de fin', exact: true }).fill(fields.end);
    await this.page.getByRole('textbox', { name: 'Nom du lieu', exact: true }).fill(fields.place);
    await this.page.getByRole('button', { name: 'Planifier la session', exact: true }).click();
  }
}
