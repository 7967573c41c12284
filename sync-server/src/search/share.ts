/**
 * « Envoyer à un ami » (seed 002): an e-mail with the link of a published offer, sent to an address
 * a visitor types. Anyone may use it, so it is rate-limited per sender address (IP, hashed) and the
 * recipient's address is not kept (only the outbox holds it until the e-mail leaves).
 */
import { createHash } from 'node:crypto';
import type { FieldError } from '../../../shared/sync/errors';
import { clock } from '../clock';
import type { Database } from '../db/database';
import { validEmail } from '../domain/route-helpers';
import { queueEmail } from '../email/outbox';
import { badRequest, HttpError, notFound } from '../http-error';
import { getPublishedOffer, OFFER_NOT_FOUND_MESSAGE } from '../public/public-offers';

/** At most this many shares per sender and hour. */
export const SHARES_PER_HOUR = 10;
export const SHARE_NAME_MAX = 100;
export const SHARE_MESSAGE_MAX = 1000;

export interface ShareInput {
  to: string;
  name?: string;
  message?: string;
}

/** Checks `{ to, name?, message? }`, with French messages per field. */
export function validateShare(body: unknown): { value: ShareInput | null; fields: FieldError[] } {
  const fields: FieldError[] = [];
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { value: null, fields: [{ field: 'to', message: 'Indiquez l’adresse e-mail de votre ami.' }] };
  const b = body as Record<string, unknown>;
  const to = validEmail(b.to);
  if (b.to === undefined || b.to === null || (typeof b.to === 'string' && !b.to.trim()))
    fields.push({ field: 'to', message: 'Indiquez l’adresse e-mail de votre ami.' });
  else if (!to)
    fields.push({
      field: 'to',
      message: 'L’adresse e-mail de votre ami n’est pas valide (exemple : prenom.nom@exemple.fr).',
    });
  const text = (key: 'name' | 'message', max: number, label: string): string | undefined => {
    const v = b[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      fields.push({ field: key, message: `${label} doit être un texte.` });
      return undefined;
    }
    if (v.trim().length > max)
      fields.push({ field: key, message: `${label} ne doit pas dépasser ${max} caractères.` });
    return v.trim() || undefined;
  };
  const name = text('name', SHARE_NAME_MAX, 'Votre nom');
  const message = text('message', SHARE_MESSAGE_MAX, 'Le message');
  if (name && /[\r\n]/.test(name)) fields.push({ field: 'name', message: 'Votre nom tient sur une ligne.' });
  if (fields.length > 0 || !to) return { value: null, fields };
  return { value: { to, ...(name ? { name } : {}), ...(message ? { message } : {}) }, fields };
}

export async function shareOffer(
  db: Database,
  input: { idOrNumber: string; body: unknown; ip: string; base: string },
): Promise<void> {
  const { value, fields } = validateShare(input.body);
  if (!value) throw badRequest('Le message n’a pas pu être envoyé : vérifiez les champs signalés.', fields);
  const id = input.idOrNumber.trim();
  const offer = id && id.length <= 36 ? await getPublishedOffer(db, id) : null;
  if (!offer) throw notFound(OFFER_NOT_FOUND_MESSAGE);
  const sender = createHash('sha256').update(`offer-share:${input.ip}`).digest('hex');
  const now = clock.now();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  await db.transaction(async (tx) => {
    // One sender at a time: two concurrent requests cannot both pass the count.
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [sender]);
    // Rows older than an hour serve no purpose: gone, whoever sent them.
    await tx.query('delete from offer_shares where at < $1::timestamptz', [hourAgo]);
    const { rows } = await tx.query<{ n: string }>(
      'select count(*)::text as n from offer_shares where sender_key = $1',
      [sender],
    );
    if (Number(rows[0]?.n ?? 0) >= SHARES_PER_HOUR)
      throw new HttpError(
        429,
        'too-many-requests',
        `Vous avez déjà envoyé ${SHARES_PER_HOUR} offres en une heure : réessayez plus tard.`,
        undefined,
        { 'retry-after': '3600' },
      );
    await tx.query('insert into offer_shares (sender_key, at) values ($1, $2::timestamptz)', [
      sender,
      now.toISOString(),
    ]);
    const link = `${input.base}/offres/${encodeURIComponent(offer.id)}`;
    const who = value.name ?? 'Une personne de votre entourage';
    const place = offer.postalCode ? `${offer.city} (${offer.postalCode})` : offer.city;
    const text = [
      'Bonjour,',
      '',
      `${who} pense que cette offre d’emploi peut vous intéresser :`,
      '',
      `${offer.title}`,
      `${offer.companyName} – ${place}${offer.number ? ` – offre n° ${offer.number}` : ''}`,
      link,
      ...(value.message ? ['', 'Son message :', value.message] : []),
      '',
      'Vous recevez ce message parce que quelqu’un a saisi votre adresse sur notre site pour vous recommander cette offre. Votre adresse n’a pas été conservée.',
    ].join('\n');
    await queueEmail(tx, {
      to: value.to,
      subject: `Une offre d’emploi pour vous : ${offer.title}`,
      text,
    });
  });
}
