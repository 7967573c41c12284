import { describe, expect, it } from 'vitest';
import { viewForNavigation } from './desktop-navigation';

describe('navigations du poste de bureau', () => {
  const offers = new Map([['100014A', 'offre-1']]);
  const find = async (n: string) => offers.get(n) ?? null;

  it('ouvrent l’écran demandé, une offre par son numéro', async () => {
    expect(await viewForNavigation({ screen: 'new-offer' }, find)).toEqual({ view: { name: 'offer-form' } });
    expect(await viewForNavigation({ screen: 'messages' }, find)).toEqual({ view: { name: 'messages' } });
    expect(await viewForNavigation({ screen: 'offer', number: '100014A' }, find)).toEqual({
      view: { name: 'offer-form', offerId: 'offre-1' },
    });
    expect(
      await viewForNavigation(
        { screen: 'conversation', conversationId: '0f0f0000-0000-4000-8000-000000000001' },
        find,
      ),
    ).toEqual({ view: { name: 'messages', conversationId: '0f0f0000-0000-4000-8000-000000000001' } });
  });

  it('une offre inconnue ici : un message, pas d’écran', async () => {
    expect(await viewForNavigation({ screen: 'offer', number: '999999Z' }, find)).toEqual({
      message:
        'Offre n° 999999Z introuvable sur ce poste : elle appartient à une autre organisation, ou n’est pas encore synchronisée.',
    });
  });
});
