import type { View } from './session-context';

/**
 * Where the user lands after switching organisation: a screen about one document of the former
 * organisation (an offer, a CV, an event, a list, an applicant) gives way to the list it belongs
 * to, now showing the new organisation's documents; any other screen stays.
 */
export function viewAfterSwitch(view: View): View {
  switch (view.name) {
    case 'offer-form':
      return { name: 'offers' };
    case 'company-form':
      return { name: 'companies' };
    case 'cv':
      return view.from === 'cv-lists' ? { name: 'cv-lists' } : { name: 'cvtheque' };
    case 'cv-lists':
      return view.listId ? { name: 'cv-lists' } : view;
    case 'applicants':
      return view.offerId || view.applicationId ? { name: 'applicants' } : view;
    case 'capture':
      return view.eventId ? { name: 'capture' } : view;
    case 'event':
    case 'event-form':
      return { name: 'events' };
    case 'spouse-search':
      return { name: 'spouse-searches' };
    case 'messages':
      return view.conversationId || view.write ? { name: 'messages' } : view;
    default:
      return view;
  }
}
