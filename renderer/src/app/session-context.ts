import { createContext, useContext } from 'react';
import type { Membership, SessionUser } from '../../../shared/domain/account';
import type { WorkstationDatabase } from '../db/collections';
import type { SyncController } from '../db/replication';

/** « Écrire » from an applicant or a CV: the conversation about it, or a new one (issue 7). */
export interface WriteTarget {
  aboutKind: 'application' | 'cv';
  aboutId: string;
}

export type View =
  | { name: 'offers' }
  | { name: 'offer-form'; offerId?: string; submitOnOpen?: boolean }
  | { name: 'notices' }
  | { name: 'moderation' }
  | { name: 'company-groups' }
  | { name: 'reported-conversations' }
  | { name: 'companies' }
  | { name: 'company-form'; companyId?: string }
  | { name: 'organisation' }
  | { name: 'organisation-create'; parentId?: string }
  | { name: 'organisation-verification' }
  | { name: 'account' }
  | { name: 'invitation'; token: string }
  | { name: 'email-change'; token: string }
  | { name: 'cvtheque' }
  | { name: 'cv'; cvId: string; from?: 'cvtheque' | 'cv-lists'; listId?: string }
  | { name: 'cv-lists'; listId?: string }
  | { name: 'applicants'; offerId?: string; applicationId?: string }
  | { name: 'capture'; eventId?: string }
  | { name: 'events' }
  | { name: 'event'; eventId: string }
  | { name: 'event-form'; eventId?: string; kind?: 'salon' | 'session'; offerId?: string }
  | { name: 'spouse-search'; applicationId: string }
  | { name: 'spouse-searches' }
  | { name: 'messages'; conversationId?: string; write?: WriteTarget };

export interface Session {
  user: SessionUser;
  db: WorkstationDatabase;
  sync: SyncController;
  /** The organisation whose offers are shown (employer or agency membership). */
  organisation: Membership | null;
  /** Shows a short confirmation in the page's live region. */
  announce: (message: string) => void;
  navigate: (view: View) => void;
  /** Reads the signed-in user again from the server (memberships, roles, names) after a change. */
  refreshUser: () => Promise<void>;
  /** Makes another of the user's organisations the current one (every list follows). */
  switchOrganisation: (organisationId: string) => void;
  /** Signs out of this workstation (local data kept). */
  signOut: (options?: { wipe?: boolean }) => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside of a signed-in session');
  return s;
}
