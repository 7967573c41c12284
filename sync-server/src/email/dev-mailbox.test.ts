import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentOf, linksOf, type SmtpCatcher, startSmtpCatcher } from './dev-mailbox';
import { headerHtml, linkifyText } from './dev-mailbox-routes';
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

  it('sends the list headers through SMTP (folded by nodemailer) and reads them back unfolded', async () => {
    const headers = {
      'List-Unsubscribe': `<http://127.0.0.1:3000/api/public/alerts/unsubscribe/${'A'.repeat(43)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': 'Alerte emploi <0a0c0000-0000-4000-8000-000000000006.alertes.127.0.0.1>',
    };
    await transport.send({
      id: '43',
      to: 'liste@exemple.fr',
      subject: 'Alerte « Boulanger » : 1 nouvelle offre',
      text: 'Bonjour',
      createdAt: new Date('2026-12-01T10:00:00Z'),
      headers,
    });
    const mail = await catcher.waitFor((m) => m.to.includes('liste@exemple.fr'));
    expect(mail.headers).toEqual(headers);
    // Nothing else slipped in; a message without list headers has none.
    await transport.send({
      id: '44',
      to: 'simple@exemple.fr',
      subject: 'Bonjour',
      text: 'x',
      createdAt: new Date('2026-12-01T10:00:00Z'),
    });
    expect((await catcher.waitFor((m) => m.to.includes('simple@exemple.fr'))).headers).toEqual({});
    // A transport refuses an injected header even if it skipped the outbox.
    await expect(
      transport.send({
        id: '45',
        to: 'injection@exemple.fr',
        subject: 's',
        text: 'x',
        createdAt: new Date(),
        headers: { 'List-Id': 'a\r\nBcc: victime@exemple.fr' },
      }),
    ).rejects.toThrow(/en-tête/);
    expect(catcher.messages().some((m) => m.to.includes('victime@exemple.fr'))).toBe(false);
  });

  it('shows header addresses as links, escaped', () => {
    expect(headerHtml('<https://a.fr/x?y=1&z=2>, <mailto:a@b.fr>')).toBe(
      '&lt;<a href="https://a.fr/x?y=1&amp;z=2">https://a.fr/x?y=1&amp;z=2</a>&gt;, &lt;mailto:a@b.fr&gt;',
    );
    expect(headerHtml('<javascript:alert(1)>')).toBe('&lt;javascript:alert(1)&gt;');
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
