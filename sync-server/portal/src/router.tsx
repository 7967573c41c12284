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

export type Route =
  | { name: 'list'; page: number }
  | { name: 'offer'; id: string }
  | DirectoryRoute
  | { name: 'not-found' };

/** Highest page the public API accepts. */
export const MAX_PAGE = 10_000;

/** Maps a location (`pathname + search`) to a page of the portal. */
export function matchRoute(location: string): Route {
  const [pathname = '/', search = ''] = location.split('?', 2);
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '/offres') {
    const raw = new URLSearchParams(search).get('page');
    const page = raw && /^\d{1,5}$/.test(raw) ? Number(raw) : 1;
    return { name: 'list', page: Math.min(Math.max(page, 1), MAX_PAGE) };
  }
  const offer = /^\/offres\/([^/]+)$/.exec(path);
  if (offer?.[1]) {
    try {
      return { name: 'offer', id: decodeURIComponent(offer[1]) };
    } catch {
      return { name: 'not-found' };
    }
  }
  const directory = matchDirectoryRoute(path, search);
  if (directory) return directory;
  return { name: 'not-found' };
}

export const listHref = (page: number) => (page <= 1 ? '/' : `/?page=${page}`);
export const offerHref = (id: string) => `/offres/${encodeURIComponent(id)}`;
