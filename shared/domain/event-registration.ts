/**
 * How a person came to an event's registration form on the portal (issue 6, H-Q): the stand's QR
 * code (`/agenda?evenement=<id>&via=qr`) or an invitation e-mail (`&via=invitation`). The
 * application keeps `source` « salon » / « session »; its `message` says the way in, and the
 * event's candidate list shows it.
 */
export const REGISTRATION_VIA = {
  qr: 'Inscription par le QR code du stand.',
  invitation: 'Inscription sur invitation (e-mail envoyé depuis la CVthèque).',
} as const;
export type RegistrationVia = keyof typeof REGISTRATION_VIA;

/** Short labels for the « Origine » column of the event's candidates. */
export const REGISTRATION_VIA_LABELS: Record<RegistrationVia, string> = {
  qr: 'QR code du stand',
  invitation: 'Inscription sur invitation',
};

/** The way in of an application, read back from its message. */
export function registrationViaOf(message: string | undefined): RegistrationVia | null {
  if (message === REGISTRATION_VIA.qr) return 'qr';
  if (message === REGISTRATION_VIA.invitation) return 'invitation';
  return null;
}
