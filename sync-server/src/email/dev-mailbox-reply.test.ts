import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpCatcher, startSmtpCatcher } from './dev-mailbox';
import { quotedReply, registerDevMailboxRoutes } from './dev-mailbox-routes';
import { type SmtpTransport, smtpTransport } from './smtp';

/**
 * The development mailbox's « Répondre » (issue 7): a notification with a reply address gets a form
 * that sends the reply, quoting the original, to the server's SMTP receiver, as the recipient's mail
 * program would. Here a second catcher stands for the receiver.
 */

let mailbox: SmtpCatcher;
let receiver: SmtpCatcher;
let transport: SmtpTransport;
let app: FastifyInstance;
let receiving = true;

beforeAll(async () => {
  mailbox = await startSmtpCatcher();
  receiver = await startSmtpCatcher();
  transport = smtpTransport(mailbox.smtpUrl, 'Emploi Territoires <ne-pas-repondre@exemple.fr>');
  app = Fastify();
  await registerDevMailboxRoutes(app, {
    mailbox,
    flush: async () => undefined,
    inboundSmtp: () => (receiving ? { host: '127.0.0.1', port: receiver.port } : null),
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  transport?.close();
  await mailbox?.close();
  await receiver?.close();
});

async function notification() {
  await transport.send({
    id: '7',
    to: 'thomas@exemple.fr',
    subject: 'Nouveau message de Boulangeries Martin : Votre candidature',
    text: 'Bonjour Thomas,\nÊtes-vous disponible mardi ?\nRépondez directement à cet e-mail.',
    createdAt: new Date('2026-12-05T09:00:00Z'),
    replyTo: 'r-0123456789abcdef0123456789abcdef-abcdefghijklmnopqrstuvwxyz@exemple.fr',
  });
  return mailbox.waitFor((m) => m.subject.startsWith('Nouveau message'));
}

describe('« Répondre » in the development mailbox', () => {
  it('shows the form and sends the reply, quoted, from the recipient to the reply address', async () => {
    const mail = await notification();
    const page = await app.inject({ method: 'GET', url: `/dev/courriels/${mail.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`action="/dev/courriels/${mail.id}/repondre"`);
    expect(page.body).toContain('<label for="reponse">');

    const sent = await app.inject({
      method: 'POST',
      url: `/dev/courriels/${mail.id}/repondre`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ texte: 'Oui, mardi me convient.' }).toString(),
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/dev/courriels/${mail.id}?reponse=envoyee`);
    const reply = await receiver.waitFor((m) => m.subject.startsWith('Re: Nouveau message'));
    expect(reply.to).toEqual([mail.replyTo]);
    expect(reply.from).toContain('thomas@exemple.fr');
    expect(reply.text).toMatch(/^Oui, mardi me convient\.\n\nLe .+ a écrit :\n> Bonjour Thomas,\n/);

    const after = await app.inject({ method: 'GET', url: `/dev/courriels/${mail.id}?reponse=envoyee` });
    expect(after.body).toContain('Réponse envoyée');
  });

  it('asks for a text, and offers no form while the server receives no replies', async () => {
    const mail = await notification();
    const empty = await app.inject({
      method: 'POST',
      url: `/dev/courriels/${mail.id}/repondre`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'texte=%20%20',
    });
    expect(empty.headers.location).toBe(`/dev/courriels/${mail.id}?reponse=vide`);
    receiving = false;
    try {
      const page = await app.inject({ method: 'GET', url: `/dev/courriels/${mail.id}` });
      expect(page.body).not.toContain('/repondre');
      const refused = await app.inject({
        method: 'POST',
        url: `/dev/courriels/${mail.id}/repondre`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'texte=Bonjour',
      });
      expect(refused.statusCode).toBe(404);
    } finally {
      receiving = true;
    }
  });

  it('quotes the original as mail programs do', () => {
    expect(
      quotedReply('  Merci !\r\n', {
        from: 'Emploi Territoires <ne-pas-repondre@exemple.fr>',
        receivedAt: '2026-12-05T09:00:00.000Z',
        text: 'Ligne 1\nLigne 2',
      }),
    ).toBe(
      'Merci !\n\nLe 05/12/2026 10:00:00, Emploi Territoires <ne-pas-repondre@exemple.fr> a écrit :\n> Ligne 1\n> Ligne 2\n',
    );
  });
});
