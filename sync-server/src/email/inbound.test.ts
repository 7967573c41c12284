import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { extractReplyText, isAutomatic, messageKeyOf } from './inbound';

describe('the new text of a reply by e-mail', () => {
  it('drops quoted lines and the French attribution with everything after it', () => {
    const text = [
      'Bonjour,',
      '',
      'Je suis disponible mardi à 10 h.',
      '',
      'Le ven. 5 déc. 2026 à 10:12, Emploi Territoires <ne-pas-repondre@emploi-territoires.test> a écrit :',
      '> Bonjour Thomas,',
      '>',
      '> Nouveau message de Boulangerie Dupont',
      'Une ligne non citée après l’attribution',
    ].join('\r\n');
    expect(extractReplyText(text)).toBe('Bonjour,\n\nJe suis disponible mardi à 10 h.');
  });

  it('cuts an attribution wrapped over several lines (Gmail), and the English one', () => {
    expect(
      extractReplyText(
        'Merci !\n\nLe ven. 5 déc. 2026 à 10:12, Emploi Territoires <\nne-pas-repondre@emploi-territoires.test> a écrit :\n\n> texte',
      ),
    ).toBe('Merci !');
    expect(
      extractReplyText('Thanks\n\nOn Fri, Dec 5, 2026 at 10:12 AM Emploi <x@y.test>\nwrote:\n> hi'),
    ).toBe('Thanks');
  });

  it('keeps a sentence that merely starts with « Le » and quoted lines in the middle are dropped', () => {
    expect(extractReplyText('Le poste m’intéresse beaucoup.\n> cité\nÀ bientôt')).toBe(
      'Le poste m’intéresse beaucoup.\nÀ bientôt',
    );
    // « a écrit : » inside the text, far from a « Le » line, is kept.
    expect(extractReplyText('Mon ancien chef a écrit :\n« très bon boulanger »')).toBe(
      'Mon ancien chef a écrit :\n« très bon boulanger »',
    );
  });

  it('cuts the signature after « -- » and a trailing « Envoyé de mon iPhone »', () => {
    expect(extractReplyText('Oui, volontiers.\n\n-- \nThomas Garcia\n06 12 34 56 78')).toBe(
      'Oui, volontiers.',
    );
    expect(extractReplyText('Oui.\n--\nThomas')).toBe('Oui.');
    expect(extractReplyText('D’accord pour jeudi.\n\nEnvoyé de mon iPhone')).toBe('D’accord pour jeudi.');
  });

  it('cuts Outlook’s original message blocks', () => {
    expect(
      extractReplyText(
        'Parfait.\n\n________________________________\nDe : Emploi Territoires <ne-pas-repondre@emploi-territoires.test>\nEnvoyé : vendredi 5 décembre 2026 10:12\nÀ : Thomas\nObjet : Nouveau message',
      ),
    ).toBe('Parfait.');
    expect(
      extractReplyText(
        'Bien reçu.\n\nDe : Emploi Territoires <ne-pas-repondre@emploi-territoires.test>\nEnvoyé : vendredi\nObjet : x\n\nBonjour Thomas',
      ),
    ).toBe('Bien reçu.');
    expect(extractReplyText('Ok\n-------- Message d’origine --------\nBonjour')).toBe('Ok');
  });

  it('reads an HTML-only reply (Gmail) through mailparser’s text', async () => {
    const parsed = await simpleParser(
      Buffer.from(
        'From: a@b.test\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' +
          '<div>Oui, <b>jeudi</b> me convient.</div><br><div class="gmail_quote"><div>Le ven. 5 déc. 2026 à 10:12, Emploi &lt;x@y.test&gt; a écrit :<br></div>' +
          '<blockquote>Bonjour Thomas</blockquote></div>',
      ),
    );
    expect(extractReplyText(parsed.text ?? '')).toBe('Oui, jeudi me convient.');
  });

  it('gives an empty text when nothing new was written', () => {
    expect(extractReplyText('\n\n> Bonjour\n> Thomas\n')).toBe('');
    expect(extractReplyText('Le lun. 1 déc. 2026, X <x@y.test> a écrit :\n> x')).toBe('');
  });

  it('tells automatic mail (auto-replies, lists, bounces) from a person’s reply', async () => {
    const mail = async (headers: string) =>
      simpleParser(Buffer.from(`${headers}From: a@b.test\r\nSubject: x\r\n\r\nBonjour\r\n`));
    expect(isAutomatic(await mail(''), 'thomas@exemple.fr')).toBe(false);
    expect(isAutomatic(await mail('Auto-Submitted: no\r\n'), 'thomas@exemple.fr')).toBe(false);
    expect(isAutomatic(await mail('Auto-Submitted: auto-replied\r\n'), 'thomas@exemple.fr')).toBe(true);
    expect(isAutomatic(await mail('Precedence: bulk\r\n'), 'thomas@exemple.fr')).toBe(true);
    expect(isAutomatic(await mail('X-Autoreply: yes\r\n'), 'thomas@exemple.fr')).toBe(true);
    expect(isAutomatic(await mail(''), '')).toBe(true);
    expect(isAutomatic(await mail(''), 'MAILER-DAEMON@exemple.fr')).toBe(true);
  });

  it('knows a message by its Message-ID, else by its bytes', async () => {
    const raw = Buffer.from('Message-ID: <abc@exemple.fr>\r\nSubject: x\r\n\r\nBonjour\r\n');
    const parsed = await simpleParser(raw);
    expect(messageKeyOf(parsed, raw)).toBe(messageKeyOf(parsed, Buffer.from('autre chose')));
    expect(messageKeyOf({ messageId: undefined }, raw)).not.toBe(
      messageKeyOf({ messageId: undefined }, Buffer.from('autre chose')),
    );
    expect(messageKeyOf({ messageId: undefined }, raw)).toMatch(/^[0-9a-f]{64}$/);
  });
});
