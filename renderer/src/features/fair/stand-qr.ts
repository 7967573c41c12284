/**
 * The stand's QR code and the invitations of a session (issue 6, H-Q), pure parts:
 * - the portal's base URL as the workstation knows it (Electron: its server; the web
 *   workstation: its own origin, the portal is served at `/` of the same server);
 * - the registration URL the QR code opens: the portal's agenda with this event's form open,
 *   marked « via=qr » (the application then says « Inscription par le QR code du stand. »);
 * - the CVthèque criteria of the invitation dialog: the session's offer's ROME code and place;
 * - the answer of `POST /api/events/:id/invitations` in French.
 */
import type { CvSearchCriteria } from '../../../../shared/domain/cv-search';
import type { OfferDoc } from '../../../../shared/schemas';
import type { EventDoc } from '../../../../shared/schemas/event.schema';

/** The portal's base URL (no trailing slash): the configured server, else the page's origin. */
export function portalBase(serverUrl: string | null | undefined, origin: string | null | undefined): string {
  const base = (serverUrl ?? '').trim() || (origin ?? '').trim();
  return base.replace(/\/+$/, '');
}

/** What the stand's QR code opens: the agenda with this event's registration form. */
export function standRegistrationUrl(base: string, eventId: string): string {
  return `${base.replace(/\/+$/, '')}/agenda?evenement=${encodeURIComponent(eventId)}&via=qr`;
}

/** Why an event has no QR code yet (null: it can have one). */
export function qrUnavailableReason(event: Pick<EventDoc, 'public' | 'status'>): string | null {
  if (event.status === 'demandee')
    return 'La session n’est pas encore planifiée : le QR code sera disponible une fois la date et le lieu fixés.';
  if (event.status === 'annulee' || event.status === 'terminee')
    return 'Cet événement est annulé ou terminé : les inscriptions sont closes.';
  if (!event.public)
    return 'Le QR code ouvre le formulaire d’inscription de l’agenda du portail : cochez « Public » dans « Modifier » pour l’annoncer et obtenir le QR code.';
  return null;
}

/**
 * Why candidates cannot be invited to an event yet (null: they can). A private event can: each
 * invitation's link opens its registration form for the person invited only.
 */
export function invitationUnavailableReason(event: Pick<EventDoc, 'status'>): string | null {
  if (event.status === 'demandee')
    return 'La session n’est pas encore planifiée : les invitations portent le lien d’inscription, fixez d’abord la date et le lieu.';
  if (event.status === 'annulee' || event.status === 'terminee')
    return 'Cet événement est annulé ou terminé : on n’y invite plus.';
  return null;
}

/** What the invited people get, said on the invitation panel. */
export function invitationAudienceText(event: Pick<EventDoc, 'public'>): string {
  return event.public
    ? 'Cet événement est public : il figure aussi dans l’agenda du portail.'
    : 'Cet événement est sur invitation : il ne figure pas dans l’agenda du portail, seules les personnes invitées reçoivent un lien personnel vers son formulaire d’inscription.';
}

/** Radius around the offer's (or the event's) commune, in km. */
export const INVITATION_RADIUS_KM = 30;

/** The offer a session is about: the request's, else the only offer presented. */
export function sessionOfferId(event: Pick<EventDoc, 'request' | 'offerIds'>): string | undefined {
  return event.request?.offerId ?? (event.offerIds.length === 1 ? event.offerIds[0] : undefined);
}

/**
 * The CVthèque search of the invitation dialog: the offer's ROME code, around the offer's
 * commune (else the event's place) within `INVITATION_RADIUS_KM`.
 */
export function invitationCriteria(
  offer:
    | Partial<Pick<OfferDoc, 'romeCode' | 'communeCode' | 'city' | 'postalCode' | 'latitude' | 'longitude'>>
    | undefined,
  event: Pick<EventDoc, 'place'>,
): CvSearchCriteria {
  const c: CvSearchCriteria = {};
  if (offer?.romeCode && /^[A-N]\d{4}$/.test(offer.romeCode)) c.romeCodes = [offer.romeCode];
  const label = (name: string, postalCode?: string) => (postalCode ? `${name} (${postalCode})` : name);
  if (offer?.communeCode && typeof offer.latitude === 'number' && typeof offer.longitude === 'number') {
    c.place = {
      code: offer.communeCode,
      label: label(offer.city ?? offer.communeCode, offer.postalCode),
      lat: offer.latitude,
      lon: offer.longitude,
    };
  } else {
    const p = event.place;
    if (p?.inseeCode && typeof p.lat === 'number' && typeof p.lon === 'number')
      c.place = {
        code: p.inseeCode,
        label: label(p.city ?? p.inseeCode, p.postalCode),
        lat: p.lat,
        lon: p.lon,
      };
  }
  if (c.place) c.radiusKm = INVITATION_RADIUS_KM;
  return c;
}

/** The criteria in words, for the dialog (« Métier D1102, à 30 km de Carcassonne (11000) »). */
export function criteriaText(c: CvSearchCriteria): string {
  const parts: string[] = [];
  if (c.romeCodes?.length) parts.push(`code ROME ${c.romeCodes.join(', ')}`);
  if (c.place) parts.push(`à ${c.radiusKm ?? 0} km de ${c.place.label}`);
  return parts.length ? parts.join(', ') : 'tous les CV de ce poste';
}

export interface InvitationResult {
  invited: number;
  alreadyInvited: number;
  unavailable: number;
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** The server's answer in French. */
export function invitationResultText(r: InvitationResult): string {
  const parts = [
    r.invited > 0
      ? `${plural(r.invited, 'candidat invité', 'candidats invités')} par e-mail`
      : 'Aucune nouvelle invitation',
  ];
  if (r.alreadyInvited > 0) parts.push(`${plural(r.alreadyInvited, 'l’était déjà', 'l’étaient déjà')}`);
  if (r.unavailable > 0)
    parts.push(
      `${plural(r.unavailable, 'CV n’est plus dans la CVthèque', 'CV ne sont plus dans la CVthèque')}`,
    );
  return `${parts.join(' ; ')}.`;
}
