import { describe, expect, it } from 'vitest';
import { agendaUrl, readAgendaLink } from './AgendaPage';

const EVENT = '3f1c2a4e-9b7d-4c1e-8a2f-5d6e7f8a9b0c';
const TOKEN = 'Zx8_kL2-pQ9rT4vW7yA1bC3dE5fG6hJ0mN2oP4sU6';

describe('the agenda’s links', () => {
  it('reads the event, the way in and an invitation token', () => {
    expect(readAgendaLink(`?evenement=${EVENT}&via=invitation&invitation=${TOKEN}`)).toEqual({
      eventId: EVENT,
      via: 'invitation',
      invitation: TOKEN,
    });
    expect(readAgendaLink(`?evenement=${EVENT}&via=qr`)).toEqual({ eventId: EVENT, via: 'qr' });
    // A token without its event, or not of the shape we issue, is left out.
    expect(readAgendaLink(`?invitation=${TOKEN}`)).toEqual({});
    expect(readAgendaLink(`?evenement=${EVENT}&invitation=court`)).toEqual({ eventId: EVENT });
    expect(readAgendaLink('?via=affiche')).toEqual({});
  });

  it('asks for the private session only with its invitation', () => {
    expect(agendaUrl({})).toBe('/api/public/events');
    expect(agendaUrl({ eventId: EVENT })).toBe('/api/public/events');
    expect(agendaUrl({ eventId: EVENT, invitation: TOKEN })).toBe(
      `/api/public/events?evenement=${EVENT}&invitation=${TOKEN}`,
    );
  });
});
