/**
 * An in-process SMTP server for tests: the app sends through real SMTP (nodemailer) and the
 * test reads what arrived, parsed with mailparser.
 *
 *   const mail = await startTestMailbox();
 *   const server = await startTestServer({ mailTransport: mail.transport });
 *   … await server.app.outbox.flush();
 *   const m = await mail.waitFor((m) => m.to.includes('lea@exemple.fr'));
 */
import { attachmentOf, type ReceivedMail, startSmtpCatcher } from '../src/email/dev-mailbox';
import { type SmtpTransport, smtpTransport } from '../src/email/smtp';

export type { ReceivedMail };

export interface TestMailbox {
  /** Plug into `startTestServer({ mailTransport })`. */
  transport: SmtpTransport;
  smtpUrl: string;
  messages(): ReceivedMail[];
  /** Messages delivered to this address (case-insensitive). */
  messagesTo(address: string): ReceivedMail[];
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** The bytes of the `index`-th attachment of a message. */
  attachment(mail: ReceivedMail, index: number): Buffer | undefined;
  clear(): void;
  close(): Promise<void>;
}

export async function startTestMailbox(): Promise<TestMailbox> {
  const catcher = await startSmtpCatcher();
  const transport = smtpTransport(catcher.smtpUrl);
  return {
    transport,
    smtpUrl: catcher.smtpUrl,
    messages: () => catcher.messages(),
    messagesTo: (address) =>
      catcher.messages().filter((m) => m.to.some((t) => t.toLowerCase() === address.toLowerCase())),
    waitFor: (predicate, timeoutMs) => catcher.waitFor(predicate, timeoutMs),
    attachment: (m, index) => attachmentOf(m, index),
    clear: () => catcher.clear(),
    async close() {
      transport.close();
      await catcher.close();
    },
  };
}
