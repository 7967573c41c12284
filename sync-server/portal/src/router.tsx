/**
 * Minimal client-side routing on the History API (no router package): the current
 * location as an external store, `navigate()` to push a new entry, and `<Link>` for
 * plain anchors that the browser can still open in a new tab.
 */
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';
import { type DirectoryRoute, matchDirectoryRoute } from './directory';

const NAVIGATE_EVENT = 'portal:navigate';

export interface NavigationState {
  /** The list page (path + query) the user came from, for « Retour aux offres ». */
  from?: string;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** `pathname + search` of the current entry; re-renders on every navigation. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

export function navigate(to: string, state: NavigationState = {}): void {
  if (to === snapshot()) return;
  window.history.pushState(state, '', to);
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** Replaces the current entry (a page that only forwards elsewhere stays out of the history). */
export function redirect(to: string): void {
  if (to === snapshot()) return;
  window.history.replaceState({}, '', to);
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export function currentNavigationState(): NavigationState {
  const state: unknown = window.history.state;
  if (state && typeof state === 'object' && typeof (state as NavigationState).from === 'string') {
    const from = (state as NavigationState).from as string;
    // Only ever go back to one of our own list pages.
    if (/^\/(\?page=\d+)?$/.test(from)) return { from };
  }
  return {};
}

function isPlainLeftClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return (
    !event.defaultPrevented &&
    event.button === 0 &&
    !event.metaKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.altKey
  );
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  to: string;
  state?: NavigationState;
};

export function Link({ to, state, onClick, children, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={to}
      onClick={(event) => {
        onClick?.(event);
        if (!isPlainLeftClick(event)) return;
        event.preventDefault();
        navigate(to, state);
      }}
    >
      {children}
    </a>
  );
}

/**
 * Pages of the candidate side. `search` is the raw query string (without `?`): each page reads
 * its own parameters (a token, a tab, search criteria).
 */
export type CandidateRoute =
  | { name: 'login'; search: string }
  | { name: 'signup'; search: string }
  | { name: 'confirm-email'; search: string }
  | { name: 'forgot-password'; search: string }
  | { name: 'reset-password'; search: string }
  | { name: 'account'; section: 'profil' | 'recherche' | 'parametres'; search: string }
  | { name: 'cvs'; search: string }
  | { name: 'cv'; id: string; search: string }
  | { name: 'folders'; search: string }
  | { name: 'apply'; offerId: string; search: string }
  | { name: 'spontaneous'; companyId: string; search: string }
  | { name: 'applications'; search: string }
  | { name: 'follow-application'; search: string }
  | { name: 'selections'; search: string }
  | { name: 'alerts'; search: string }
  | { name: 'unsubscribe'; search: string }
  | { name: 'messages'; search: string }
  | { name: 'new-message'; search: string }
  | { name: 'conversation'; id: string; search: string };

export type Route =
  | { name: 'list'; page: number; search: string }
  | { name: 'offer'; id: string }
  | DirectoryRoute
  | CandidateRoute
  | { name: 'agenda' }
  | { name: 'not-found' };

/** Fixed paths of the candidate side. */
export const PATHS = {
  login: '/connexion',
  signup: '/inscription',
  confirmEmail: '/confirmer-email',
  forgotPassword: '/mot-de-passe-oublie',
  resetPassword: '/nouveau-mot-de-passe',
  account: '/mon-compte',
  cvs: '/mes-cv',
  folders: '/mes-dossiers',
  applications: '/mes-candidatures',
  followApplication: '/suivi-candidature',
  selections: '/mes-selections',
  alerts: '/mes-alertes',
  unsubscribe: '/alertes/desinscription',
  messages: '/mes-messages',
  newMessage: '/mes-messages/nouveau',
} as const;

const FIXED: Record<string, CandidateRoute['name']> = {
  [PATHS.login]: 'login',
  [PATHS.signup]: 'signup',
  [PATHS.confirmEmail]: 'confirm-email',
  [PATHS.forgotPassword]: 'forgot-password',
  [PATHS.resetPassword]: 'reset-password',
  [PATHS.cvs]: 'cvs',
  [PATHS.folders]: 'folders',
  [PATHS.applications]: 'applications',
  [PATHS.followApplication]: 'follow-application',
  [PATHS.selections]: 'selections',
  [PATHS.alerts]: 'alerts',
  [PATHS.unsubscribe]: 'unsubscribe',
  [PATHS.messages]: 'messages',
  [PATHS.newMessage]: 'new-message',
};

const decode = (part: string): string | null => {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
};

function matchCandidateRoute(path: string, search: string): CandidateRoute | null {
  const fixed = FIXED[path];
  if (fixed) return { name: fixed, search } as CandidateRoute;
  const account = /^\/mon-compte(?:\/(recherche|parametres))?$/.exec(path);
  if (account)
    return { name: 'account', section: (account[1] as 'recherche' | 'parametres') ?? 'profil', search };
  const cv = /^\/mes-cv\/([^/]+)$/.exec(path);
  if (cv?.[1]) {
    const id = decode(cv[1]);
    return id ? { name: 'cv', id, search } : null;
  }
  const conversation = /^\/mes-messages\/([^/]+)$/.exec(path);
  if (conversation?.[1]) {
    const id = decode(conversation[1]);
    return id ? { name: 'conversation', id, search } : null;
  }
  const apply = /^\/offres\/([^/]+)\/postuler$/.exec(path);
  if (apply?.[1]) {
    const offerId = decode(apply[1]);
    return offerId ? { name: 'apply', offerId, search } : null;
  }
  const spontaneous = /^\/entreprises\/([^/]+)\/candidature-spontanee$/.exec(path);
  if (spontaneous?.[1]) {
    const companyId = decode(spontaneous[1]);
    return companyId ? { name: 'spontaneous', companyId, search } : null;
  }
  return null;
}

/** Highest page the public API accepts. */
export const MAX_PAGE = 10_000;

/** Maps a location (`pathname + search`) to a page of the portal. */
export function matchRoute(location: string): Route {
  const [pathname = '/', search = ''] = location.split('?', 2);
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '/offres') {
    const raw = new URLSearchParams(search).get('page');
    const page = raw && /^\d{1,5}$/.test(raw) ? Number(raw) : 1;
    return { name: 'list', page: Math.min(Math.max(page, 1), MAX_PAGE), search };
  }
  const offer = /^\/offres\/([^/]+)$/.exec(path);
  if (offer?.[1]) {
    try {
      return { name: 'offer', id: decodeURIComponent(offer[1]) };
    } catch {
      return { name: 'not-found' };
    }
  }
  if (path === AGENDA_PATH) return { name: 'agenda' };
  const candidate = matchCandidateRoute(path, search);
  if (candidate) return candidate;
  const directory = matchDirectoryRoute(path, search);
  if (directory) return directory;
  return { name: 'not-found' };
}

/** The agenda of fairs and recruitment sessions (seed 002 « événements »). */
export const AGENDA_PATH = '/agenda';

export const listHref = (page: number) => (page <= 1 ? '/' : `/?page=${page}`);
export const offerHref = (id: string) => `/offres/${encodeURIComponent(id)}`;
