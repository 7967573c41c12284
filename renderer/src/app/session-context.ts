import { createContext, useContext } from 'react';
import type { Membership, SessionUser } from '../../../shared/domain/account';
import type { WorkstationDatabase } from '../db/collections';
import type { SyncController } from '../db/replication';

export type View =
  | { name: 'offers' }
  | { name: 'offer-form'; offerId?: string; submitOnOpen?: boolean }
  | { name: 'notices' }
  | { name: 'moderation' };

export interface Session {
  user: SessionUser;
  db: WorkstationDatabase;
  sync: SyncController;
  /** The organisation whose offers are shown (employer or agency membership). */
  organisation: Membership | null;
  /** Shows a short confirmation in the page's live region. */
  announce: (message: string) => void;
  navigate: (view: View) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside of a signed-in session');
  return s;
}
