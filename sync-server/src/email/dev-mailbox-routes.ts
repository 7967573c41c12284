/**
 * `/dev/courriels`: the development mailbox in the browser (never in production). An HTML list,
 * each message with its links clickable, and `/dev/courriels.json` for tests. Reading it first
 * sends what waits in the outbox, so a message queued a moment ago is there.
 */
import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { notFound } from '../http-error';
import { attachmentOf, type ReceivedMail, type SmtpCatcher } from './dev-mailbox';

export interface DevMailboxRouteDeps {
  mailbox: SmtpCatcher;
  /** Sends the due e-mails of the outbox now. */
  flush(): Promise<unknown>;
  /**
   * The server's SMTP receiver of replies by e-mail (null while it is not listening): a message
   * with a reply address gets a « Répondre » form that sends the reply there, as the recipient's
   * mail program would.
   */
  inboundSmtp?: () => { host: string; port: number } | null;
}

/** Longest reply typed in the dev mailbox. */
const DEV_REPLY_MAX = 10_000;

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The text with its http(s) links as anchors (the text is escaped first). */
export function linkifyText(text: string): string {
  return escapeHtml(text).replace(/https?:\/\/[^\s<>"«»]+/g, (raw) => {
    const url = raw.replace(/[.,;:!?)\]]+$/, '');
    const rest = raw.slice(url.length);
    return `<a href="${url}">${url}</a>${rest}`;
  });
}

/** A header value (`<https://…>, <mailto:…>`) with its http(s) addresses as anchors. */
export function headerHtml(value: string): string {
  return value
    .split(/(<[^<>]*>)/)
    .map((part) => {
      const url = /^<(https?:\/\/[^\s<>"]+)>$/.exec(part)?.[1];
      return url ? `&lt;<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>&gt;` : escapeHtml(part);
    })
    .join('');
}

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('fr-FR', {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: 'Europe/Paris',
  });

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Boîte aux lettres de développement</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1e1e1e}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ccc;vertical-align:top}
pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem;border:1px solid #ccc}
a{color:#0b4f9c}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}a:focus{outline:3px solid #0b4f9c;outline-offset:2px}
</style></head><body>${body}</body></html>`;
}

function listPage(mails: ReceivedMail[]): string {
  const rows = [...mails]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(dateTime(m.receivedAt))}</td><td>${escapeHtml(m.to.join(', '))}</td>` +
        `<td><a href="/dev/courriels/${encodeURIComponent(m.id)}">${escapeHtml(m.subject || '(sans objet)')}</a></td></tr>`,
    )
    .join('');
  return page(
    'Courriels reçus',
    `<h1>Courriels reçus</h1>
<p>Les e-mails envoyés par le serveur de développement arrivent ici (serveur SMTP local). Les plus récents d’abord. <a href="/dev/courriels.json">Version JSON</a>.</p>
${
  mails.length === 0
    ? '<p>Aucun e-mail reçu pour le moment.</p>'
    : `<table><caption class="visually-hidden">${mails.length} e-mail(s)</caption><thead><tr><th scope="col">Reçu le</th><th scope="col">Destinataire</th><th scope="col">Objet</th></tr></thead><tbody>${rows}</tbody></table>`
}`,
  );
}

function replyForm(m: ReceivedMail, status: string | undefined): string {
  const notice =
    status === 'envoyee'
      ? '<p role="status"><strong>Réponse envoyée</strong> au récepteur SMTP du serveur, comme depuis une messagerie.</p>'
      : status === 'refusee'
        ? '<p role="alert"><strong>Réponse refusée</strong> par le récepteur SMTP (adresse de réponse non reconnue).</p>'
        : status === 'vide'
          ? '<p role="alert"><strong>Écrivez votre réponse</strong> avant de l’envoyer.</p>'
          : '';
  return `<h2>Répondre par e-mail</h2>${notice}
<form method="post" action="/dev/courriels/${encodeURIComponent(m.id)}/repondre">
<p><label for="reponse">Votre réponse (envoyée de ${escapeHtml(m.to[0] ?? '')} à ${escapeHtml(m.replyTo)}, le message d’origine cité en dessous)</label><br>
<textarea id="reponse" name="texte" rows="6" cols="70" maxlength="${DEV_REPLY_MAX}" required></textarea></p>
<p><button type="submit">Envoyer la réponse</button></p></form>`;
}

function messagePage(m: ReceivedMail, options: { canReply: boolean; replyStatus?: string }): string {
  return page(
    m.subject || '(sans objet)',
    `<p><a href="/dev/courriels">← Tous les courriels</a></p>
<h1>${escapeHtml(m.subject || '(sans objet)')}</h1>
<dl><dt>De</dt><dd>${escapeHtml(m.from)}</dd><dt>À</dt><dd>${escapeHtml(m.to.join(', '))}</dd>
${m.cc ? `<dt>Copie</dt><dd>${escapeHtml(m.cc)}</dd>` : ''}${m.replyTo ? `<dt>Répondre à</dt><dd>${escapeHtml(m.replyTo)}</dd>` : ''}
<dt>Reçu le</dt><dd>${escapeHtml(dateTime(m.receivedAt))}</dd>${Object.entries(m.headers ?? {})
      .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${headerHtml(value)}</dd>`)
      .join('')}</dl>
<pre>${linkifyText(m.text)}</pre>
${
  m.attachments.length > 0
    ? `<h2>Pièces jointes</h2><ul>${m.attachments
        .map(
          (a, i) =>
            `<li><a href="/dev/courriels/${encodeURIComponent(m.id)}/pieces-jointes/${i}">${escapeHtml(a.filename)}</a> (${escapeHtml(a.contentType)}, ${Math.ceil(a.size / 1024)} Ko)</li>`,
        )
        .join('')}</ul>`
    : ''
}${options.canReply && m.replyTo ? replyForm(m, options.replyStatus) : ''}`,
  );
}

/** The original text quoted as mail programs do (« Le … a écrit : » then `> ` lines). */
export function quotedReply(reply: string, m: Pick<ReceivedMail, 'from' | 'receivedAt' | 'text'>): string {
  const quoted = m.text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `${reply.replace(/\r\n?/g, '\n').trim()}\n\nLe ${dateTime(m.receivedAt)}, ${m.from} a écrit :\n${quoted}\n`;
}

export async function registerDevMailboxRoutes(app: FastifyInstance, deps: DevMailboxRouteDeps) {
  const fresh = async () => {
    await deps.flush();
    return deps.mailbox.messages();
  };
  app.get('/dev/courriels', async (_request, reply) => {
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
    return listPage(await fresh());
  });
  app.get<{ Querystring: { to?: string } }>('/dev/courriels.json', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const to = typeof request.query.to === 'string' ? request.query.to.trim().toLowerCase() : '';
    const mails = await fresh();
    return { messages: to ? mails.filter((m) => m.to.some((a) => a.toLowerCase() === to)) : mails };
  });
  app.get<{ Params: { id: string }; Querystring: { reponse?: string } }>(
    '/dev/courriels/:id',
    async (request, reply) => {
      await deps.flush();
      const mail = deps.mailbox.message(request.params.id);
      if (!mail) throw notFound('Ce courriel n’existe pas (ou plus) dans la boîte de développement.');
      reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
      const status = typeof request.query.reponse === 'string' ? request.query.reponse : undefined;
      return messagePage(mail, {
        canReply: !!deps.inboundSmtp?.(),
        ...(status ? { replyStatus: status } : {}),
      });
    },
  );

  // « Répondre »: the form's body (`texte=…`, URL-encoded), read in this scope only.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, new URLSearchParams(String(body))),
    );
    scope.post<{ Params: { id: string } }>('/dev/courriels/:id/repondre', async (request, reply) => {
      const mail = deps.mailbox.message(request.params.id);
      const target = deps.inboundSmtp?.();
      if (!mail?.replyTo || !target)
        throw notFound('Ce courriel n’existe pas, ou le serveur ne reçoit pas de réponses par e-mail.');
      const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
      const text = (form.get('texte') ?? '').slice(0, DEV_REPLY_MAX);
      const back = (status: string) =>
        reply.redirect(`/dev/courriels/${encodeURIComponent(mail.id)}?reponse=${status}`, 303);
      if (!text.trim()) return back('vide');
      const transport = nodemailer.createTransport({
        host: target.host,
        port: target.port,
        secure: false,
        ignoreTLS: true,
      });
      try {
        await transport.sendMail({
          from: mail.to[0] ?? 'candidat@exemple.fr',
          to: mail.replyTo,
          subject: `Re: ${mail.subject}`.slice(0, 300),
          text: quotedReply(text, mail),
        });
      } catch {
        return back('refusee');
      } finally {
        transport.close();
      }
      return back('envoyee');
    });
  });
  app.get<{ Params: { id: string; index: string } }>(
    '/dev/courriels/:id/pieces-jointes/:index',
    async (request, reply) => {
      const mail = deps.mailbox.message(request.params.id);
      const index = Number(request.params.index);
      const meta = mail?.attachments[index];
      const bytes = mail && Number.isInteger(index) ? attachmentOf(mail, index) : undefined;
      if (!mail || !meta || !bytes) throw notFound('Cette pièce jointe n’existe pas.');
      reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${meta.filename.replace(/[^\w.-]+/g, '_')}"`)
        .type(meta.contentType);
      return reply.send(bytes);
    },
  );
}
