import { describe, expect, it } from 'vitest';
import { REGISTRATION_VIA, registrationViaOf } from '../../../../shared/domain/event-registration';
import { encodeQr } from '../../../../shared/qr/qr-code';
import {
  criteriaText,
  invitationAudienceText,
  invitationCriteria,
  invitationResultText,
  invitationUnavailableReason,
  portalBase,
  qrUnavailableReason,
  sessionOfferId,
  standRegistrationUrl,
} from './stand-qr';

describe('stand QR code', () => {
  it('uses the server configured in Electron, else the web workstation’s origin', () => {
    expect(portalBase('https://emploi.exemple.fr/', 'http://localhost:5173')).toBe(
      'https://emploi.exemple.fr',
    );
    expect(portalBase('', 'https://poste.exemple.fr')).toBe('https://poste.exemple.fr');
    expect(portalBase(null, undefined)).toBe('');
  });

  it('opens the agenda with the event’s form, marked as coming from the QR code, and fits a QR code', () => {
    const id = '3f2b1c9e-8a4d-4f7e-9b21-0c5d6e7f8a9b';
    const url = standRegistrationUrl('https://emploi.exemple.fr/', id);
    expect(url).toBe(`https://emploi.exemple.fr/agenda?evenement=${id}&via=qr`);
    expect(encodeQr(url).length).toBeLessThanOrEqual(57);
  });

  it('reads the way in back from the application’s message', () => {
    expect(registrationViaOf(REGISTRATION_VIA.qr)).toBe('qr');
    expect(registrationViaOf(REGISTRATION_VIA.invitation)).toBe('invitation');
    expect(registrationViaOf('Bonjour, je suis disponible.')).toBeNull();
    expect(registrationViaOf(undefined)).toBeNull();
  });

  it('explains why a non-public, requested or closed event has no QR code', () => {
    expect(qrUnavailableReason({ public: true, status: 'planifiee' })).toBeNull();
    expect(qrUnavailableReason({ public: false, status: 'planifiee' })).toMatch(/« Public »/);
    expect(qrUnavailableReason({ public: true, status: 'demandee' })).toMatch(/pas encore planifiée/);
    expect(qrUnavailableReason({ public: true, status: 'annulee' })).toMatch(/closes/);
  });
});

describe('invitations', () => {
  it('invites to a private event too, never to one not planned or closed', () => {
    expect(invitationUnavailableReason({ status: 'planifiee' })).toBeNull();
    expect(invitationUnavailableReason({ status: 'demandee' })).toMatch(/pas encore planifiée/);
    expect(invitationUnavailableReason({ status: 'annulee' })).toMatch(/annulé ou terminé/);
    expect(invitationUnavailableReason({ status: 'terminee' })).toMatch(/annulé ou terminé/);
    expect(invitationAudienceText({ public: false })).toMatch(/sur invitation.*lien personnel/);
    expect(invitationAudienceText({ public: true })).toMatch(/agenda du portail/);
  });

  it('searches the offer’s ROME code around the offer’s commune, else the event’s place', () => {
    const offer = {
      romeCode: 'D1102',
      communeCode: '11069',
      city: 'Carcassonne',
      postalCode: '11000',
      latitude: 43.21,
      longitude: 2.35,
    };
    const c = invitationCriteria(offer, {});
    expect(c).toEqual({
      romeCodes: ['D1102'],
      place: { code: '11069', label: 'Carcassonne (11000)', lat: 43.21, lon: 2.35 },
      radiusKm: 30,
    });
    expect(criteriaText(c)).toBe('code ROME D1102, à 30 km de Carcassonne (11000)');
    const fromEvent = invitationCriteria(undefined, {
      place: { city: 'Narbonne', postalCode: '11100', inseeCode: '11262', lat: 43.18, lon: 3.0 },
    });
    expect(fromEvent).toEqual({
      place: { code: '11262', label: 'Narbonne (11100)', lat: 43.18, lon: 3.0 },
      radiusKm: 30,
    });
    expect(invitationCriteria({ romeCode: 'bad' }, {})).toEqual({});
    expect(criteriaText({})).toBe('tous les CV de ce poste');
  });

  it('takes the request’s offer, else the only one presented', () => {
    expect(sessionOfferId({ request: { offerId: 'a' }, offerIds: ['b'] })).toBe('a');
    expect(sessionOfferId({ offerIds: ['b'] })).toBe('b');
    expect(sessionOfferId({ offerIds: ['b', 'c'] })).toBeUndefined();
  });

  it('reports the server’s counts in French', () => {
    expect(invitationResultText({ invited: 2, alreadyInvited: 1, unavailable: 0 })).toBe(
      '2 candidats invités par e-mail ; 1 l’était déjà.',
    );
    expect(invitationResultText({ invited: 0, alreadyInvited: 3, unavailable: 1 })).toBe(
      'Aucune nouvelle invitation ; 3 l’étaient déjà ; 1 CV n’est plus dans la CVthèque.',
    );
  });
});
