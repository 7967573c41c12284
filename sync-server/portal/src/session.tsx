/**
 * The candidate's session on the portal: the HttpOnly cookie set by `/api/auth/login` carries it,
 * `/api/auth/me` says who is signed in. Pages read `useSession()`; `RequireCandidate` sends an
 * anonymous visitor to the sign-in page and back afterwards.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { SessionUser } from '../../../shared/domain/account';
import { ApiError, apiRequest } from './api';
import { navigate, PATHS } from './router';

export type SessionState =
  | { status: 'loading'; user: null }
  | { status: 'anonymous'; user: null }
  | { status: 'signed-in'; user: SessionUser };

interface SessionContextValue {
  session: SessionState;
  /** Reads `/api/auth/me` again (after sign-in, a profile change…). */
  refresh(): Promise<void>;
  /** Sets the user after a sign-in or sign-up answered `{ user }`. */
  signedIn(user: SessionUser): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading', user: null });

  const refresh = useCallback(async () => {
    try {
      const { user } = await apiRequest<{ user: SessionUser }>('GET', '/api/auth/me');
      setSession({ status: 'signed-in', user });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403))
        setSession({ status: 'anonymous', user: null });
      // A lost connection keeps what we knew; while loading, the pages wait.
      else setSession((s) => (s.status === 'loading' ? { status: 'anonymous', user: null } : s));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      refresh,
      signedIn: (user) => setSession({ status: 'signed-in', user }),
      async signOut() {
        await apiRequest('POST', '/api/auth/logout').catch(() => undefined);
        setSession({ status: 'anonymous', user: null });
        navigate('/');
      },
    }),
    [session, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession hors de SessionProvider');
  return value;
}

/** Where the sign-in page sends the user back to. */
export function loginHref(returnTo: string): string {
  return `${PATHS.login}?retour=${encodeURIComponent(returnTo)}`;
}

/** A return path from `?retour=`, only ever one of our own pages. */
export function safeReturnPath(search: string, fallback = PATHS.applications as string): string {
  const raw = new URLSearchParams(search).get('retour') ?? '';
  return /^\/(?!\/)[^\s\\]*$/.test(raw) ? raw : fallback;
}

/**
 * Renders `children` for a signed-in candidate; sends anyone else to the sign-in page (and back
 * here afterwards). A recruiter account is told that this space is for candidates.
 */
export function RequireCandidate({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const here = window.location.pathname + window.location.search;
  useEffect(() => {
    if (session.status === 'anonymous') navigate(loginHref(here));
  }, [session.status, here]);
  if (session.status === 'loading') return <p aria-busy="true">Chargement…</p>;
  if (session.status === 'anonymous') return null;
  if (session.user.kind !== 'candidate')
    return (
      <div className="notice notice--info" role="status">
        <p>
          Cet espace est réservé aux candidats. Les recruteurs et les conseillers utilisent le{' '}
          <a href="/workstation/">poste de travail</a>.
        </p>
      </div>
    );
  return <>{children}</>;
}
