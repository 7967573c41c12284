/**
 * Links sent by e-mail open the web workstation with a token in the address:
 * `/workstation/?invitation=<token>` (join an organisation) or `?email-change=<token>` (confirm a
 * new e-mail address). Read once at start; removed from the address bar once handled.
 */
export type PendingLink = { kind: 'invitation' | 'email-change'; token: string };

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export function parsePendingLink(search: string): PendingLink | null {
  const params = new URLSearchParams(search);
  const invitation = params.get('invitation');
  if (invitation && TOKEN.test(invitation)) return { kind: 'invitation', token: invitation };
  const change = params.get('email-change');
  if (change && TOKEN.test(change)) return { kind: 'email-change', token: change };
  return null;
}

export function readPendingLink(): PendingLink | null {
  if (typeof window === 'undefined') return null;
  return parsePendingLink(window.location.search);
}

/** Removes the link's token from the address bar (it must not stay in the history or be reused). */
export function clearPendingLink(): void {
  if (typeof window === 'undefined') return;
  const url = new URL(window.location.href);
  url.searchParams.delete('invitation');
  url.searchParams.delete('email-change');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}
