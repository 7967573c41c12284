/**
 * Quick capture of a walk-in candidate at a fair or a recruitment session (issue 6): name, e-mail
 * and/or phone, job sought, offers of interest, rating, note, consent (text shown, time recorded)
 * and a CV file. One capture gives one application per offer of interest, all sharing the same
 * `captureId`; the rating and the note go to the capturer's evaluation (the caller writes it).
 * Works offline on the workstation; the server checks the same rules.
 */
import type { ApplicationDoc } from '../schemas/application.schema';
import type { FieldError } from '../sync/errors';
import { normaliseEmail, normalisePhone } from './duplicates';
import { isSha256 } from './files';

/** Shown on the capture form and stored with each application (`applicant.consent.text`). */
export const CAPTURE_CONSENT_TEXT =
  'La personne accepte que ses données (identité, coordonnées, poste recherché, offres qui l’intéressent, ' +
  'appréciation du recruteur et CV le cas échéant) soient enregistrées par l’organisation qui la ' +
  'rencontre et transmises aux recruteurs des offres choisies, pour le traitement de sa candidature. ' +
  'Elles sont conservées au plus 2 ans. Elle recevra un e-mail pour compléter son profil ou le ' +
  'rattacher à son compte sur le portail. Elle peut à tout moment s’opposer à ce traitement, ' +
  'consulter ses données ou en demander l’effacement.';

export const CAPTURE_LIMITS = {
  name: 100,
  email: 254,
  phone: 20,
  jobSought: 150,
  note: 2000,
  offers: 20,
} as const;

export interface CaptureInput {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  jobSought: string;
  offerIds: string[];
  rating: number | null;
  note: string;
  consent: boolean;
  /** The SHA-256 of the CV (photo or PDF) put in the file store. */
  cvFile?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/**
 * The rule broken by each field (French messages, `field` = the input's key); empty when the
 * capture may be saved. Defensive about types: the server passes what a client sent.
 */
export function validateCapture(input: CaptureInput): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: keyof CaptureInput, message: string) => errors.push({ field, message });
  const raw = input as unknown as Record<keyof CaptureInput, unknown>;

  for (const [field, label] of [
    ['firstName', 'Le prénom'],
    ['lastName', 'Le nom'],
  ] as const) {
    const value = raw[field];
    if (value !== undefined && typeof value !== 'string') add(field, `${label} doit être un texte.`);
    else if (!str(value)) add(field, `${label} est obligatoire.`);
    else if (str(value).length > CAPTURE_LIMITS.name)
      add(field, `${label} ne doit pas dépasser ${CAPTURE_LIMITS.name} caractères.`);
  }

  const email = str(raw.email);
  const phone = str(raw.phone);
  if (raw.email !== undefined && typeof raw.email !== 'string')
    add('email', 'L’adresse e-mail doit être un texte.');
  else if (raw.phone !== undefined && typeof raw.phone !== 'string')
    add('phone', 'Le numéro de téléphone doit être un texte.');
  else if (!email && !phone)
    add(
      'email',
      'Indiquez une adresse e-mail ou un numéro de téléphone : il faut pouvoir recontacter la personne.',
    );
  if (email) {
    if (email.length > CAPTURE_LIMITS.email)
      add('email', `L’adresse e-mail ne doit pas dépasser ${CAPTURE_LIMITS.email} caractères.`);
    else if (normaliseEmail(email) === null)
      add('email', 'L’adresse e-mail n’est pas valide (exemple : prenom.nom@exemple.fr).');
  }
  if (phone) {
    if (phone.length > CAPTURE_LIMITS.phone)
      add('phone', `Le numéro de téléphone ne doit pas dépasser ${CAPTURE_LIMITS.phone} caractères.`);
    else if (normalisePhone(phone) === null)
      add(
        'phone',
        'Le numéro de téléphone n’est pas valide (exemple : 06 12 34 56 78 ou +33 6 12 34 56 78).',
      );
  }

  if (raw.jobSought !== undefined && typeof raw.jobSought !== 'string')
    add('jobSought', 'Le poste recherché doit être un texte.');
  else if (str(raw.jobSought).length > CAPTURE_LIMITS.jobSought)
    add('jobSought', `Le poste recherché ne doit pas dépasser ${CAPTURE_LIMITS.jobSought} caractères.`);

  const offerIds = raw.offerIds;
  if (!Array.isArray(offerIds) || offerIds.some((id) => typeof id !== 'string' || !id || id.length > 36))
    add('offerIds', 'La liste des offres qui intéressent la personne n’est pas valide.');
  else if (offerIds.length > CAPTURE_LIMITS.offers)
    add('offerIds', `Choisissez au plus ${CAPTURE_LIMITS.offers} offres.`);
  else if (new Set(offerIds).size !== offerIds.length)
    add('offerIds', 'Une même offre est choisie plusieurs fois.');

  const rating = raw.rating;
  if (
    rating !== null &&
    !(typeof rating === 'number' && Number.isInteger(rating) && rating >= 1 && rating <= 5)
  )
    add('rating', 'L’appréciation est une note de 1 à 5, ou aucune.');

  if (raw.note !== undefined && typeof raw.note !== 'string') add('note', 'La note doit être un texte.');
  else if (str(raw.note).length > CAPTURE_LIMITS.note)
    add('note', `La note ne doit pas dépasser ${CAPTURE_LIMITS.note} caractères.`);

  if (raw.consent !== true)
    add(
      'consent',
      'Le consentement de la personne est obligatoire : lisez-lui le texte affiché et cochez la case une fois son accord obtenu.',
    );

  if (raw.cvFile !== undefined && raw.cvFile !== null && raw.cvFile !== '' && !isSha256(raw.cvFile))
    add(
      'cvFile',
      'Le fichier du CV n’est pas valide : reprenez la photo ou choisissez à nouveau le document.',
    );

  return errors;
}

export interface CaptureContext {
  organisationId: string;
  eventId?: string;
  eventKind?: 'salon' | 'session';
  capturedBy: string;
  capturedByName: string;
  now: Date;
  newId: () => string;
  offers: ReadonlyMap<
    string,
    { title: string; number?: string; companyName: string; city?: string; postalCode?: string }
  >;
  organisationName: string;
}

/** A capture that cannot be saved: `fields` says why (the server answers it as a 400). */
export class CaptureError extends Error {
  readonly fields: FieldError[];
  constructor(fields: FieldError[]) {
    super(fields.map((f) => f.message).join(' '));
    this.name = 'CaptureError';
    this.fields = fields;
  }
}

type OfferSnapshot = NonNullable<ApplicationDoc['offer']>;

function snapshot(offer: {
  title: string;
  number?: string;
  companyName: string;
  city?: string;
  postalCode?: string;
}): OfferSnapshot {
  return {
    ...(offer.number ? { number: offer.number.slice(0, 20) } : {}),
    title: offer.title.slice(0, 150),
    companyName: offer.companyName.slice(0, 150),
    ...(offer.city ? { city: offer.city.slice(0, 120) } : {}),
    ...(offer.postalCode ? { postalCode: offer.postalCode.slice(0, 5) } : {}),
  };
}

/**
 * The applications of one capture: one per offer of interest (none: one spontaneous application
 * to the organisation, titled after the job sought), all with the same new `captureId`, status
 * « nouvelle », source « salon » (« session » at a recruitment session). Throws a `CaptureError`
 * if the input is not valid or names an offer not in `ctx.offers`.
 */
export function captureApplications(input: CaptureInput, ctx: CaptureContext): ApplicationDoc[] {
  const errors = validateCapture(input);
  if (errors.length === 0) {
    const unknown = input.offerIds.filter((id) => !ctx.offers.has(id));
    if (unknown.length > 0)
      errors.push({
        field: 'offerIds',
        message:
          unknown.length === 1
            ? 'Une offre choisie n’est pas disponible sur ce poste : préparez à nouveau le salon ou retirez-la.'
            : `${unknown.length} offres choisies ne sont pas disponibles sur ce poste : préparez à nouveau le salon ou retirez-les.`,
      });
  }
  if (errors.length > 0) throw new CaptureError(errors);

  const at = ctx.now.toISOString();
  const captureId = ctx.newId();
  const byName = ctx.capturedByName.trim().slice(0, 120);
  const email = input.email.trim();
  const phone = input.phone.trim();
  const jobSought = input.jobSought.trim();
  const applicant: NonNullable<ApplicationDoc['applicant']> = {
    firstName: input.firstName.trim(),
    lastName: input.lastName.trim(),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(jobSought ? { jobSought } : {}),
    consent: { at, text: CAPTURE_CONSENT_TEXT },
  };
  const targets: { offerId?: string; offer: OfferSnapshot }[] =
    input.offerIds.length > 0
      ? input.offerIds.map((offerId) => ({ offerId, offer: snapshot(ctx.offers.get(offerId)!) }))
      : [
          {
            offer: snapshot({
              title: jobSought || 'Candidature spontanée',
              companyName: ctx.organisationName,
            }),
          },
        ];

  return targets.map(
    ({ offerId, offer }): ApplicationDoc => ({
      id: ctx.newId(),
      organisationId: ctx.organisationId,
      ...(offerId ? { offerId } : {}),
      offer,
      applicant: { ...applicant, consent: { ...applicant.consent! } },
      ...(input.cvFile ? { cvFile: input.cvFile } : {}),
      status: 'nouvelle',
      history: [{ at, to: 'nouvelle', by: ctx.capturedBy, ...(byName ? { byName } : {}) }],
      source: ctx.eventKind === 'session' ? 'session' : 'salon',
      ...(ctx.eventId ? { eventId: ctx.eventId } : {}),
      captureId,
      capturedBy: ctx.capturedBy,
      ...(byName ? { capturedByName: byName } : {}),
      createdAt: at,
      updatedAt: at,
    }),
  );
}
