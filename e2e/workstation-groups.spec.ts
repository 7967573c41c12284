import type { BrowserContext, Locator, Page } from '@playwright/test';
import { expectAccessible } from './fixtures/checks';
import { expect, screenPath, test } from './fixtures/server';
import { openWorkstation } from './fixtures/workstation';

/**
 * Issue 3: moderators keep the list of groups and networks (seed 004 « groupe de distribution »)
 * that recruiters choose from on their company profile. The moderator adds a group, renames it,
 * cannot delete a group a demo profile uses (and is told to rename it), deletes an unused one; the
 * recruiter's company form then offers the new group.
 */

const ADDED = 'Réseau Cocagne';
const RENAMED = 'Groupement Cocagne Occitanie';
const EPHEMERAL = 'Groupe éphémère';
const USED = 'Groupe Distribution Ouest'; // chosen by Transports Garonne (demo)

/** The row of the group named exactly `name`. */
function groupRow(page: Page, name: string): Locator {
  return page.getByTestId('group-row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

async function addGroup(page: Page, name: string, kind: 'Groupe' | 'Réseau'): Promise<void> {
  const form = page.getByRole('form', { name: 'Ajouter un groupe ou un réseau' });
  await form.getByRole('textbox', { name: 'Nom' }).fill(name);
  await form.getByRole('combobox', { name: 'Type' }).selectOption({ label: kind });
  await form.getByRole('button', { name: 'Ajouter', exact: true }).click();
}

async function deleteGroup(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Supprimer « ${name} »`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Supprimer « ${name} » ?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Supprimer', exact: true }).click();
  await expect(dialog).toBeHidden();
}

test.describe('groupes et réseaux tenus par les modérateurs', () => {
  test.describe.configure({ timeout: 180_000 });

  const contexts: BrowserContext[] = [];
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  test('ajouter, renommer, refuser de supprimer un groupe utilisé, supprimer un groupe libre ; le recruteur le voit', async ({
    browser,
    server,
  }) => {
    // 1. The moderator opens « Groupes et réseaux », next to « Modération ».
    const moderator = await openWorkstation(browser, server, 'moderateur@demo.test');
    contexts.push(moderator.context);
    const { page, ws } = moderator;
    const entries = ws.nav.getByRole('button');
    const labels = await entries.allTextContents();
    expect(labels.indexOf('Groupes et réseaux')).toBe(labels.indexOf('Modération') + 1);
    await ws.nav.getByRole('button', { name: 'Groupes et réseaux', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Groupes et réseaux' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    await expect(page.getByTestId('groups-count')).toHaveText('3 groupes et réseaux : 1 groupe, 2 réseaux');
    await expect(page.getByTestId('group-row').first()).toContainText(USED);
    await expect(groupRow(page, USED).locator('.groups-kind')).toHaveText('Groupe');
    await expectAccessible(page, 'liste des groupes');

    // 2. An empty name: the summary takes the focus, the field says why.
    const form = page.getByRole('form', { name: 'Ajouter un groupe ou un réseau' });
    const name = form.getByRole('textbox', { name: 'Nom' });
    await form.getByRole('button', { name: 'Ajouter', exact: true }).click();
    const summary = form.locator('.error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Le nom du groupe est obligatoire');
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveAccessibleDescription(/Le nom du groupe est obligatoire/);

    // 3. A name already taken (whatever the case): the server's 409, next to the field.
    await addGroup(page, USED.toLowerCase(), 'Groupe');
    await expect(summary).toBeFocused();
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveAccessibleDescription(/Un groupe ou réseau porte déjà ce nom\./);
    await expect(page.getByTestId('group-row')).toHaveCount(3);

    // 4. Add a network: listed in order, counted, the form is ready for the next one.
    await addGroup(page, ADDED, 'Réseau');
    await expect(groupRow(page, ADDED).locator('.groups-kind')).toHaveText('Réseau');
    await expect(page.getByTestId('groups-count')).toHaveText('4 groupes et réseaux : 1 groupe, 3 réseaux');
    await expect(name).toHaveValue('');
    await expect(name).toBeFocused();
    await expect(name).not.toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('announcement')).toContainText(`« ${ADDED} » ajouté`);

    // 5. Rename it and make it a group. Escape first cancels an edit and gives the focus back.
    const edit = page.getByRole('button', { name: `Modifier « ${ADDED} »`, exact: true });
    await edit.click();
    const editForm = page.getByRole('form', { name: `Modifier « ${ADDED} »` });
    await expect(editForm.getByRole('textbox', { name: 'Nom' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(editForm).toHaveCount(0);
    await expect(edit).toBeFocused();
    await page.keyboard.press('Enter');
    await editForm.getByRole('textbox', { name: 'Nom' }).fill(USED);
    await editForm.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect(editForm.getByRole('textbox', { name: 'Nom' })).toHaveAccessibleDescription(
      /Un groupe ou réseau porte déjà ce nom\./,
    );
    await editForm.getByRole('textbox', { name: 'Nom' }).fill(RENAMED);
    await editForm.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Groupe' });
    await editForm.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect(groupRow(page, RENAMED).locator('.groups-kind')).toHaveText('Groupe');
    await expect(groupRow(page, ADDED)).toHaveCount(0);
    await expect(page.getByRole('button', { name: `Modifier « ${RENAMED} »`, exact: true })).toBeFocused();
    await expect(page.getByTestId('groups-count')).toHaveText('4 groupes et réseaux : 2 groupes, 2 réseaux');

    // 6. A group a company profile uses cannot be deleted: the server says to rename it instead.
    await deleteGroup(page, USED);
    const problem = page.getByTestId('groups-problem');
    await expect(problem).toBeFocused();
    await expect(problem).toContainText(`« ${USED} » n’a pas été supprimé.`);
    await expect(problem).toContainText('Ce groupe est choisi par 1 fiche entreprise');
    await expect(problem).toContainText('Renommez-le plutôt.');
    await expect(groupRow(page, USED)).toHaveCount(1);
    await page.screenshot({ path: screenPath('groupes-01-suppression-refusee'), fullPage: true });
    await expectAccessible(page, 'suppression refusée');

    // 7. An unused one is deleted.
    await addGroup(page, EPHEMERAL, 'Groupe');
    await expect(groupRow(page, EPHEMERAL)).toHaveCount(1);
    await deleteGroup(page, EPHEMERAL);
    await expect(groupRow(page, EPHEMERAL)).toHaveCount(0);
    await expect(problem).toHaveCount(0);
    await expect(page.getByTestId('groups-count')).toHaveText('4 groupes et réseaux : 2 groupes, 2 réseaux');

    // 8. Offline: the list stays readable, every change is disabled and the page says why.
    await moderator.context.setOffline(true);
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    await expect(page.getByTestId('groups-offline')).toContainText('Hors ligne');
    await expect(form.getByRole('button', { name: 'Ajouter', exact: true })).toBeDisabled();
    await expect(page.getByRole('button', { name: `Supprimer « ${RENAMED} »`, exact: true })).toBeDisabled();
    await expect(groupRow(page, RENAMED)).toHaveCount(1);
    await page.screenshot({ path: screenPath('groupes-02-hors-ligne'), fullPage: true });
    await moderator.context.setOffline(false);
    await expect(ws.syncStatus()).toHaveText('En ligne');
    await expect(page.getByTestId('groups-offline')).toHaveCount(0);
    await expect(form.getByRole('button', { name: 'Ajouter', exact: true })).toBeEnabled();

    // 9. A recruiter's company form offers the renamed group, not the deleted one.
    const recruiter = await openWorkstation(browser, server, 'recruteur1@demo.test');
    contexts.push(recruiter.context);
    await recruiter.ws.nav.getByRole('button', { name: 'Ma fiche entreprise', exact: true }).click();
    // An employer with one profile lands on its form.
    await expect(
      recruiter.page.getByRole('heading', { level: 1, name: 'Ma fiche entreprise' }),
    ).toBeVisible();
    await expect(recruiter.page.getByRole('textbox', { name: 'Nom de l’entreprise' })).toHaveValue(
      'Boulangeries Martin',
    );
    const select = recruiter.page.getByRole('combobox', { name: 'Groupe ou réseau de l’entreprise' });
    await expect(select.locator('option', { hasText: RENAMED })).toHaveCount(1);
    await expect(select.locator('option', { hasText: ADDED })).toHaveCount(0);
    await expect(select.locator('option', { hasText: EPHEMERAL })).toHaveCount(0);
    await expect(select.locator('optgroup[label="Groupes"] option', { hasText: RENAMED })).toHaveCount(1);
  });
});
