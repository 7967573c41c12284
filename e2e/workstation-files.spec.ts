import type { Locator, Page } from '@playwright/test';
import type { ApplicationDoc } from '../shared/schemas/application.schema';
import { pullAll } from './fixtures/checks';
import { DESKTOP_BRIDGE_STAND_IN } from './fixtures/desktop-bridge';
import { expect, screenPath, test } from './fixtures/server';
import { newWorkstationContext } from './fixtures/workstation';

/**
 * Files on the workstation (issue 8): a CV dropped on (or chosen for) a capture made at a fair, the
 * applicant's dossier printed, exports saved with the desktop's « Enregistrer sous » dialog (the
 * bridge stood in for; the dialog itself is unit-tested in electron/main/save-file.test.ts).
 */

/** Drops files on a target as the system does when files are dragged from the desktop. */
async function dropFiles(page: Page, target: Locator, files: { name: string; type: string; text: string }[]) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: f.type }));
    return dt;
  }, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

const PDF = [
  '%PDF-1.4',
  '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
  '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
  'trailer << /Root 1 0 R >>',
  '%%EOF',
].join('\n');

async function openApplicant(page: Page, name: string) {
  await page.getByTestId('filter-toutes').click();
  const row = page.getByTestId('applicant-row').filter({ hasText: name }).first();
  await row.locator('[data-col="name"]').click();
  await expect(page.getByTestId('applicant-name')).toHaveText(name);
}

test('un CV déposé sur une saisie de salon lui est joint ; une candidature en ligne garde ses documents', async ({
  browser,
  server,
}) => {
  const token = await server.login('recruteur1@demo.test');
  const { context, page, ws } = await newWorkstationContext(browser, server);
  await ws.goto();
  await ws.signIn('recruteur1@demo.test');
  await ws.waitForInitialSync(5);
  await ws.nav.getByRole('button', { name: 'Mes candidats' }).click();

  // A capture from last week's fair, without a CV.
  await openApplicant(page, 'Hélène Dupont Marie');
  const panel = page.getByTestId('applicant-panel');
  await expect(panel.getByTestId('attach-cv')).toBeVisible();

  // A file of the wrong kind: refused by its content, nothing attached.
  await dropFiles(page, panel, [{ name: 'cv.pdf', type: 'application/pdf', text: 'pas un PDF' }]);
  await expect(panel.getByTestId('attach-cv-error')).toContainText('Format refusé');
  await expect(panel.getByTestId('attach-cv')).toBeVisible();

  // The PDF: attached, viewable, synced, its bytes uploaded.
  await dropFiles(page, panel, [{ name: 'CV Hélène Dupont.pdf', type: 'application/pdf', text: PDF }]);
  await expect(panel.getByTestId('attach-cv-done')).toContainText('CV « CV Hélène Dupont.pdf » joint');
  await expect(panel.getByRole('button', { name: /Ouvrir le CV/ })).toBeVisible();
  await page.screenshot({ path: screenPath('cv-depose-sur-saisie'), fullPage: false });
  await ws.expectPending((n) => n === 0, 'le CV joint est synchronisé');
  let sha = '';
  await expect
    .poll(async () => {
      const apps = await pullAll<ApplicationDoc>(server, token, 'applications');
      sha = apps.find((a) => a.applicant?.lastName === 'Dupont Marie')?.cvFile ?? '';
      return sha;
    })
    .toMatch(/^[0-9a-f]{64}$/);
  await expect
    .poll(
      async () =>
        (await fetch(`${server.url}/api/files/${sha}`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
    )
    .toBe(200);

  // An application sent from the portal: no « Joindre un CV », and a drop says why.
  await openApplicant(page, 'Inès Benali');
  await expect(panel.getByTestId('attach-cv')).toHaveCount(0);
  await dropFiles(page, panel, [{ name: 'autre.pdf', type: 'application/pdf', text: PDF }]);
  await expect(panel.getByTestId('attach-cv-error')).toContainText(
    'gardent les documents envoyés par le candidat',
  );
  await context.close();
});

test('imprimer le dossier d’un candidat, et enregistrer les exports avec la boîte de dialogue du système', async ({
  browser,
  server,
}) => {
  const { context, page, ws } = await newWorkstationContext(browser, server);
  await context.addInitScript(DESKTOP_BRIDGE_STAND_IN);
  await context.addInitScript(() => {
    const w = window as unknown as { __prints: number; print: () => void };
    w.__prints = 0;
    w.print = () => {
      w.__prints++;
    };
  });
  await ws.goto();
  await ws.signIn('recruteur1@demo.test');
  await ws.waitForInitialSync(5);
  await ws.nav.getByRole('button', { name: 'Mes candidats' }).click();
  await openApplicant(page, 'Inès Benali');

  await page.getByTestId('print-dossier').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __prints: number }).__prints)).toBe(1);
  const dossier = page.getByTestId('dossier-print');
  await expect(dossier).toHaveCount(1);
  await expect(dossier).toContainText('Dossier de candidature');
  await expect(dossier).toContainText('06 11 22 33 44');
  await expect(dossier).toContainText('Historique');
  await expect(dossier).toContainText('Document confidentiel – données personnelles');
  // As printed: the dossier alone.
  await page.emulateMedia({ media: 'print' });
  await expect(dossier).toBeVisible();
  await expect(page.getByTestId('applicant-panel')).toBeHidden();
  await page.screenshot({ path: screenPath('dossier-impression'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await expect(dossier).toHaveCount(0);

  // Exports and the PDF dossier go through the desktop's save dialog.
  await page.getByRole('button', { name: 'Exporter (CSV)' }).click();
  await page.getByRole('button', { name: 'Dossier PDF' }).click();
  const saved = () =>
    page.evaluate(
      () =>
        (window as unknown as { __savedFiles: { name: string; size: number; head: string }[] }).__savedFiles,
    );
  await expect.poll(async () => (await saved()).length).toBe(2);
  const [csv, pdf] = await saved();
  expect(csv!.name).toMatch(/^candidats-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(csv!.head).toContain('Benali');
  expect(pdf!.name).toMatch(/^dossier-.*\.pdf$/);
  expect(pdf!.head.startsWith('%PDF-')).toBe(true);
  await context.close();
});
