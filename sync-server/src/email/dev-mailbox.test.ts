import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentOf, linksOf, type SmtpCatcher, startSmtpCatcher } from './dev-mailbox';
import { linkifyText } from './dev-mailbox-routes';
import { redactSmtpUrl, type SmtpTransport, smtpTransport } from './smtp';

let catcher: SmtpCatcher;
let transport: SmtpTransport;

beforeAll(async () => {
  catcher = await startSmtpCatcher();
  transport = smtpTransport(catcher.smtpUrl, 'Essai <essai@exemple.fr>');
});

afterAll(async () => {
  transport?.close();
  await catcher?.close();
});

describe('SMTP transport and development mailbox', () => {
  it('delivers through SMTP: UTF-8 subject and text, copies, reply-to and attachments arrive parsed', async () => {
    await transport.send({
      id: '41',
      to: 'lea@exemple.fr',
      subject: 'Confirmez votre adresse e-mail – « test »',
      text: 'Bonjour Léa,\nouvrez http://127.0.0.1:3000/confirmer-email?jeton=abc_DEF-123.\nMerci.',
      createdAt: new Date('2026-12-01T10:00:00Z'),
      cc: ['copie@exemple.fr'],
      replyTo: 'thomas@exemple.fr',
      attachments: [
        { filename: 'cv.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 x') },
      ],
    });
    const mail = await catcher.waitFor((m) => m.to.includes('lea@exemple.fr'));
    expect(mail.subject).toBe('Confirmez votre adresse e-mail – « test »');
    expect(mail.from).toContain('essai@exemple.fr');
    expect(mail.text).toContain('Bonjour Léa,');
    expect(mail.links).toEqual(['http://127.0.0.1:3000/confirmer-email?jeton=abc_DEF-123']);
    expect(mail.cc).toContain('copie@exemple.fr');
    expect(mail.replyTo).toContain('thomas@exemple.fr');
    expect(mail.attachments).toEqual([{ filename: 'cv.pdf', contentType: 'application/pdf', size: 10 }]);
    expect(attachmentOf(mail, 0)?.toString()).toBe('%PDF-1.4 x');
    // Both the envelope recipients are listed (To and Cc).
    expect(catcher.messages().filter((m) => m.id === mail.id)).toHaveLength(1);
  });

  it('waitFor fails after its delay when nothing comes', async () => {
    await expect(catcher.waitFor((m) => m.subject === 'jamais', 50)).rejects.toThrow(/aucun e-mail/);
  });

  it('shows text safely with clickable links, and hides SMTP passwords', () => {
    expect(linkifyText('<b>x</b> voir https://a.fr/b?c=1&d=2.')).toBe(
      '&lt;b&gt;x&lt;/b&gt; voir <a href="https://a.fr/b?c=1&amp;d=2">https://a.fr/b?c=1&amp;d=2</a>.',
    );
    expect(linksOf('« http://x.fr/a » et (https://y.fr/b).')).toEqual(['http://x.fr/a', 'https://y.fr/b']);
    expect(redactSmtpUrl('smtp://moi:secret@smtp.exemple.fr:587')).toBe('smtp://moi:***@smtp.exemple.fr:587');
  });
});
