import type { DesktopNavigation } from '../../../shared/ipc/contract';
import type { View } from './session-context';

/**
 * The screen a desktop navigation opens (application menu, `recrutement://` link, notification).
 * An offer is named by its number: `findOffer` looks it up in the local replica; unknown here, the
 * answer is a French message instead of a screen.
 */
export async function viewForNavigation(
  navigation: DesktopNavigation,
  findOffer: (number: string) => Promise<string | null>,
): Promise<{ view: View } | { message: string }> {
  switch (navigation.screen) {
    case 'offers':
      return { view: { name: 'offers' } };
    case 'new-offer':
      return { view: { name: 'offer-form' } };
    case 'applicants':
      return { view: { name: 'applicants' } };
    case 'messages':
      return { view: { name: 'messages' } };
    case 'cvtheque':
      return { view: { name: 'cvtheque' } };
    case 'events':
      return { view: { name: 'events' } };
    case 'notices':
      return { view: { name: 'notices' } };
    case 'account':
      return { view: { name: 'account' } };
    case 'conversation':
      return { view: { name: 'messages', conversationId: navigation.conversationId } };
    case 'offer': {
      const offerId = await findOffer(navigation.number);
      return offerId
        ? { view: { name: 'offer-form', offerId } }
        : {
            message: `Offre n° ${navigation.number} introuvable sur ce poste : elle appartient à une autre organisation, ou n’est pas encore synchronisée.`,
          };
    }
  }
}
