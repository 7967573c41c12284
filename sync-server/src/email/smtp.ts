import nodemailer from 'nodemailer';
import { checkMailHeaders, MAIL_FROM, type MailTransport } from './outbox';

/**
 * Sends the outbox through an SMTP server (`SMTP_URL`, e.g. `smtp://user:pass@smtp.example.fr:587`
 * or `smtps://…:465`), with nodemailer. `send` throws when the server refuses the message: the
 * outbox then retries it later.
 */
export interface SmtpTransport extends MailTransport {
  close(): void;
}

/** The URL without its password, for logs and the console. */
export function redactSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'smtp://(adresse invalide)';
  }
}

export function smtpTransport(url: string, from: string = MAIL_FROM): SmtpTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    description: `SMTP ${redactSmtpUrl(url)}`,
    async send(mail) {
      const headers = checkMailHeaders(mail.headers);
      const info = await transporter.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.cc?.length ? { cc: mail.cc } : {}),
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        ...(mail.attachments?.length
          ? {
              attachments: mail.attachments.map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: Buffer.from(a.content),
              })),
            }
          : {}),
        date: mail.createdAt,
        messageId: `<outbox-${mail.id}@emploi-territoires.test>`,
        // Checked again here: only the allow-list, no CR/LF (nodemailer folds long lines).
        ...(headers ? { headers } : {}),
      });
      const rejected = ((info.rejected ?? []) as unknown[]).map(String);
      if (rejected.length > 0)
        throw new Error(`destinataire refusé par le serveur SMTP : ${rejected.join(', ')}`);
    },
    close() {
      transporter.close();
    },
  };
}
