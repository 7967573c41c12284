import type { BrowserContext } from '@playwright/test';
import nodemailer from 'nodemailer';
import type { CandidateApplication } from '../shared/domain/application';
import type { OfferDoc } from '../shared/schemas/offer.schema';
import { pullAll } from './fixtures/checks';
import { expect, screenPath, test } from './fixtures/server';
import { openWorkstation } from './fixtures/workstation';
import { MessagesPage } from './pages/messages-page';

/**
 * Issue 7's end-to-end acceptance: a candidate applies on the portal; the recruiter, offline,
 * answers from the applicant view (key M); back online, the candidate receives the e-mail
 * notification in the test mailbox, replies to it by e-mail (through the server's SMTP receiver,
 * at the signed reply address), and the recruiter sees the reply arrive live, without the quoted
 * text.
 */

const CANDIDATE = 'candidat@demo.test';
const RECRUITER = 'recruteur1@demo.test';

/** A one-page PDF (content is checked by the server, not the name). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

interface Mail {
  subject: string;
  text: string;
  replyTo: string;
  headers: Record<string, string>;
}

test.describe('messagerie par e-mail', () => {
  test.describe.configure({ timeout: 180_000 });
  const contexts: BrowserContext[] = [];
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  test('le candidat postule, le recruteur répond hors ligne, le candidat répond par e-mail', async ({
    browser,
    page,
    server,
  }) => {
    expect(server.smtpPort, 'le récepteur SMTP des réponses est démarré').toBeGreaterThan(0);

    // An offer of the recruiter's organisation, online, that the candidate has not applied to.
    const recruiterToken = await server.login(RECRUITER);
    const candidateToken = await server.login(CANDIDATE);
    const mine = await server.api<{ applications: CandidateApplication[] }>('/api/candidate/applications', {
      token: candidateToken,
    });
    const applied = new Set(mine.applications.map((a) => a.offerId ?? ''));
    const offer = (await pullAll<OfferDoc>(server, recruiterToken, 'offers')).find(
      (o) =>
        !(o as { _deleted?: boolean })._deleted &&
        o.status === 'publiee' &&
        o.applicationMode !== 'contact' &&
        !applied.has(o.id),
    );
    expect(offer, 'une offre en ligne de Boulangeries Martin').toBeDefined();

    // 1. The candidate applies on the portal.
    const login = await page.request.post('/api/auth/login', {
      data: { email: CANDIDATE, password: 'demo-demo-demo' },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`/offres/${offer!.id}/postuler`);
    await expect(page.getByRole('heading', { level: 1, name: `Postuler : ${offer!.title}` })).toBeVisible();
    await page.getByLabel('Joindre un fichier CV').check();
    await page
      .getByLabel('Fichier de votre CV')
      .setInputFiles({ name: 'cv-thomas.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByLabel('Votre message au recruteur (facultatif)').fill('Bonjour, je suis disponible.');
    await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
    await expect(page.getByRole('heading', { name: 'Candidature envoyée' })).toBeVisible();

    // 2. The recruiter finds the applicant, goes offline and writes with the keyboard (M).
    const recruiter = await openWorkstation(browser, server, RECRUITER);
    contexts.push(recruiter.context);
    const { ws, page: desk } = recruiter;
    await ws.waitForInitialSync(1);
    const m = new MessagesPage(desk);
    await ws.nav.getByRole('button', { name: 'Mes candidats' }).click();
    const filterAll = desk.getByTestId('filter-toutes');
    if (await filterAll.isVisible()) await filterAll.click();
    const row = desk
      .getByTestId('applicant-row')
      .filter({ hasText: 'Thomas Garcia' })
      .filter({ hasText: offer!.title })
      .first();
    await expect(row).toBeVisible({ timeout: 30_000 });
    await row.locator('[data-col="name"]').focus();
    await expect(desk.getByTestId('applicant-name')).toHaveText('Thomas Garcia');

    await recruiter.context.setOffline(true);
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    await desk.keyboard.press('m');
    await expect(desk.getByRole('heading', { level: 1, name: 'Mes messages' })).toBeVisible();
    await expect(m.subjectField()).toHaveValue(`Votre candidature : ${offer!.title}`);
    const stamp = `e2e-${Date.now()}`;
    const body = `Bonjour Thomas, merci pour votre candidature. Êtes-vous disponible mardi à 9 h ? (${stamp})`;
    await m.send(body);
    await expect(m.message(body).getByTestId('message-pending')).toHaveText(/En attente d’envoi/);

    // 3. Online again: sent once; the candidate gets the notification with a signed reply address.
    await recruiter.context.setOffline(false);
    await expect(ws.syncStatus()).toHaveText('En ligne', { timeout: 30_000 });
    await expect(m.message(body).getByTestId('message-pending')).toHaveCount(0, { timeout: 30_000 });
    let mail: Mail | undefined;
    await expect
      .poll(
        async () => {
          const { messages } = await server.api<{ messages: Mail[] }>(
            `/dev/courriels.json?to=${encodeURIComponent(CANDIDATE)}`,
          );
          mail = messages.find((x) => x.subject.startsWith('Nouveau message de') && x.text.includes(stamp));
          return !!mail;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(mail!.subject).toBe(
      `Nouveau message de Boulangeries Martin : Votre candidature : ${offer!.title}`,
    );
    expect(mail!.replyTo).toMatch(/^r-[0-9a-f]{32}-[a-z2-7]+@/);
    expect(mail!.headers['Auto-Submitted']).toBe('auto-generated');
    expect(mail!.text).toContain('/mes-messages/');

    // 4. The candidate answers by e-mail, quoting the notification as mail programs do.
    const reply = `Bonjour, mardi 9 h me convient très bien. (${stamp}-réponse)`;
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.smtpPort!,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'Thomas Garcia <candidat@demo.test>',
      to: mail!.replyTo,
      subject: `Re: ${mail!.subject}`,
      text: `${reply}\n\nLe 5 déc. 2026 à 10:00, Emploi Territoires a écrit :\n> ${body}\n> Répondez directement à cet e-mail.\n`,
    });
    transport.close();

    // 5. The recruiter sees the reply live in the open conversation, without the quoted text.
    const received = m.message(reply);
    await expect(received).toBeVisible({ timeout: 30_000 });
    await expect(received).toContainText('(candidat)');
    await expect(received.getByTestId('message-via-email')).toBeVisible();
    await expect(received).not.toContainText('a écrit');
    await desk.screenshot({ path: screenPath('messagerie-reponse-par-email'), fullPage: true });

    // A forged reply address is refused by the receiver (550), and nothing lands.
    const forged = mail!.replyTo.replace(/-([a-z2-7])([a-z2-7]+)@/, (_all, first: string, rest: string) => {
      const swapped = first === 'a' ? 'b' : 'a';
      return `-${swapped}${rest}@`;
    });
    expect(forged).not.toBe(mail!.replyTo);
    const forger = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.smtpPort!,
      secure: false,
      ignoreTLS: true,
    });
    await expect(
      forger.sendMail({ from: 'intrus@exemple.fr', to: forged, subject: 'Re: test', text: 'Faux message' }),
    ).rejects.toThrow(/550/);
    forger.close();
    await desk.waitForTimeout(500);
    await expect(m.message('Faux message')).toHaveCount(0);
  });
});
