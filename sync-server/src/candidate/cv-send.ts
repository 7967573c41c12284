/**
 * Sending a CV by e-mail (seed 002 « Envoyer par courriel »): the candidate gives the recipient,
 * copies, a subject and an accompanying text; the e-mail leaves with the CV as a PDF attached,
 * the candidate's contact details under the text, and replies going to the candidate.
 *
 * - `POST /api/candidate/cvs/:id/send` {to, cc?, subject, message, layout, order} → 201 `{ sentAt, to, cc }`
 * - `GET /api/candidate/cv-sends`: the CVs the candidate sent (« messages envoyés »), newest first.
 *
 * At most `CV_SENDS_PER_DAY` sends per candidate over 24 hours (the platform's address sends
 * them: no one may use it to spam), at most `MAX_CC` copies each.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import type { FieldError } from '../../../shared/sync/errors';
import { requireCandidate } from '../auth/request-user';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { asRecord, validEmail } from '../domain/route-helpers';
import { queueEmail } from '../email/outbox';
import { badRequest, forbidden, HttpError, notFound } from '../http-error';
import { CV_PDF_LAYOUT_LABELS, CV_PDF_ORDER_LABELS, type CvPdfOptions } from './cv-pdf';
import { cvPdfFor, cvPdfIdentity, decodePdfOptions } from './cv-pdf-route';
import { CV_NOT_FOUND } from './cv-store';
import type { CandidateDeps } from './deps';

export const CV_SENDS_PER_DAY = 20;
export const MAX_CC = 5;
export const SUBJECT_MAX = 200;
export const MESSAGE_MAX = 5000;

export const SEND_MESSAGES = {
  to: 'Indiquez l’adresse e-mail du destinataire (exemple : recrutement@entreprise.fr).',
  cc: `Adresses en copie invalides : séparez-les par des virgules (${MAX_CC} au plus).`,
  ccTooMany: `Vous pouvez mettre ${MAX_CC} adresses en copie au plus.`,
  subject: `Indiquez l’objet du message (${SUBJECT_MAX} caractères au plus), par exemple la référence de l’offre.`,
  message: `Écrivez le texte d’accompagnement (${MESSAGE_MAX.toLocaleString('fr-FR')} caractères au plus).`,
  notConfirmed:
    'Confirmez d’abord votre adresse e-mail (lien reçu par courriel) pour envoyer votre CV par courriel.',
  tooMany: `Vous avez envoyé ${CV_SENDS_PER_DAY} CV par courriel ces dernières 24 heures, le maximum : réessayez demain.`,
} as const;

export interface CvSendInput {
  to: string;
  cc: string[];
  subject: string;
  message: string;
  options: CvPdfOptions;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Every field checked; French messages name the fields at fault. */
export function validateCvSend(raw: unknown): { value: CvSendInput | null; errors: FieldError[] } {
  const body = asRecord(raw);
  const errors: FieldError[] = [];
  const to = validEmail(body.to);
  if (!to) errors.push({ field: 'to', message: SEND_MESSAGES.to });

  const cc: string[] = [];
  if (body.cc !== undefined && body.cc !== null && body.cc !== '') {
    const list =
      typeof body.cc === 'string'
        ? body.cc.split(/[,;\s]+/)
        : Array.isArray(body.cc) && body.cc.every((c) => typeof c === 'string')
          ? (body.cc as string[])
          : null;
    const parts = (list ?? []).map((c) => c.trim()).filter(Boolean);
    const valid = parts.map((c) => validEmail(c));
    if (!list || valid.some((v) => !v)) errors.push({ field: 'cc', message: SEND_MESSAGES.cc });
    else if (valid.length > MAX_CC) errors.push({ field: 'cc', message: SEND_MESSAGES.ccTooMany });
    else for (const v of valid) if (v && v !== to && !cc.includes(v)) cc.push(v);
  }

  const subject = typeof body.subject === 'string' ? body.subject.trim().replace(/\s+/g, ' ') : '';
  if (!subject || subject.length > SUBJECT_MAX || CONTROL.test(subject))
    errors.push({ field: 'subject', message: SEND_MESSAGES.subject });

  const message = typeof body.message === 'string' ? body.message.replace(/\r\n?/g, '\n').trim() : '';
  if (!message || message.length > MESSAGE_MAX || CONTROL.test(message))
    errors.push({ field: 'message', message: SEND_MESSAGES.message });

  const { options, errors: optionErrors } = decodePdfOptions(body, { layout: 'layout', order: 'order' });
  errors.push(...optionErrors);
  if (errors.length || !to) return { value: null, errors };
  return { value: { to, cc, subject, message, options }, errors };
}

/** Sends left today (over the last 24 hours). */
export async function cvSendsLeft(q: Queryable, accountId: string): Promise<number> {
  const since = new Date(clock.now().getTime() - 24 * 3600 * 1000);
  const { rows } = await q.query<{ n: number }>(
    'select count(*)::int as n from cv_sends where account_id = $1 and sent_at > $2',
    [accountId, since],
  );
  return Math.max(0, CV_SENDS_PER_DAY - Number(rows[0]?.n ?? 0));
}

export interface CvSendResult {
  id: string;
  sentAt: string;
  to: string;
  cc: string[];
  filename: string;
  left: number;
}

/**
 * Queues the e-mail with the CV attached and records the send, in one transaction (the daily
 * count is taken under a lock on the account, so two requests at once cannot pass the limit).
 */
export async function sendCv(
  db: Database,
  user: SessionUser,
  cvId: string,
  input: CvSendInput,
): Promise<CvSendResult> {
  if (!user.emailConfirmed) throw forbidden(SEND_MESSAGES.notConfirmed);
  return db.transaction(async (tx) => {
    await tx.query('select id from accounts where id = $1 for update', [user.id]);
    const left = await cvSendsLeft(tx, user.id);
    if (left <= 0) throw new HttpError(429, 'too-many-requests', SEND_MESSAGES.tooMany);
    const pdf = await cvPdfFor(tx, user.id, cvId, input.options);
    if (!pdf) throw notFound(CV_NOT_FOUND);
    const identity = await cvPdfIdentity(tx, user.id);
    const name = `${identity.firstName} ${identity.lastName}`.trim();
    const contact = [name, identity.email, identity.phone].filter(Boolean).join('\n');
    const text = [
      input.message,
      '',
      '--',
      contact,
      '',
      `${name} vous transmet son CV « ${pdf.cv.title} » en pièce jointe (${pdf.filename}).`,
      'Répondez à ce message pour lui écrire directement.',
      '',
      'Message envoyé depuis Emploi Territoires à la demande du candidat.',
    ].join('\n');
    const id = randomUUID();
    const now = clock.now();
    await queueEmail(tx, {
      to: input.to,
      cc: input.cc,
      replyTo: identity.email,
      subject: input.subject,
      text,
      attachments: [{ filename: pdf.filename, contentType: 'application/pdf', content: pdf.bytes }],
      dedupeKey: `cv-send:${id}`,
    });
    const { rows } = await tx.query<{ id: string }>(
      "select id::text as id from email_outbox where dedupe_key = 'cv-send:' || $1",
      [id],
    );
    await tx.query(
      `insert into cv_sends (id, account_id, cv_id, to_address, cc_addresses, subject, layout, sort_order, outbox_id, sent_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        user.id,
        pdf.cv.id,
        input.to,
        input.cc,
        input.subject,
        input.options.layout,
        input.options.order,
        rows[0]?.id ?? null,
        now,
      ],
    );
    return {
      id,
      sentAt: now.toISOString(),
      to: input.to,
      cc: input.cc,
      filename: pdf.filename,
      left: left - 1,
    };
  });
}

export interface CvSendEntry {
  id: string;
  cvId: string;
  to: string;
  cc: string[];
  subject: string;
  layout: string;
  order: string;
  sentAt: string;
}

export async function listCvSends(q: Queryable, accountId: string): Promise<CvSendEntry[]> {
  const { rows } = await q.query<{
    id: string;
    cv_id: string;
    to_address: string;
    cc_addresses: string[] | null;
    subject: string;
    layout: string;
    sort_order: string;
    sent_at: Date | string;
  }>(
    `select id::text, cv_id::text, to_address, cc_addresses, subject, layout, sort_order, sent_at
       from cv_sends where account_id = $1 order by sent_at desc, id limit 200`,
    [accountId],
  );
  return rows.map((r) => ({
    id: r.id,
    cvId: r.cv_id,
    to: r.to_address,
    cc: r.cc_addresses ?? [],
    subject: r.subject,
    layout: CV_PDF_LAYOUT_LABELS[r.layout as keyof typeof CV_PDF_LAYOUT_LABELS] ?? r.layout,
    order: CV_PDF_ORDER_LABELS[r.sort_order as keyof typeof CV_PDF_ORDER_LABELS] ?? r.sort_order,
    sentAt: new Date(r.sent_at).toISOString(),
  }));
}

export async function registerCvSendRoutes(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  const { db } = deps;
  app.post('/api/candidate/cvs/:id/send', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const { value, errors } = validateCvSend(request.body);
    if (!value)
      throw badRequest(
        errors.length === 1
          ? errors[0]!.message
          : 'Le message n’a pas été envoyé : corrigez les champs signalés.',
        errors,
      );
    const result = await sendCv(db, user, String((request.params as { id?: unknown }).id ?? ''), value);
    reply.code(201);
    return result;
  });

  app.get('/api/candidate/cv-sends', async (request) => {
    const user = await requireCandidate(db, request);
    return { items: await listCvSends(db, user.id), left: await cvSendsLeft(db, user.id) };
  });
}
