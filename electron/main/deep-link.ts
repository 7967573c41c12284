/**
 * The workstation's deep links (issue 8): `recrutement://offre/<numéro>` opens an offer. Links come
 * from anywhere (a mail, a web page, another program), so only this exact shape is accepted; the
 * rest is ignored.
 */
import { type DesktopNavigation, OFFER_NUMBER_PATTERN } from '../../shared/ipc/contract';

export const DEEP_LINK_SCHEME = 'recrutement';
const MAX_LINK_LENGTH = 200;

export function parseDeepLink(value: unknown): DesktopNavigation | null {
  if (typeof value !== 'string' || value.length > MAX_LINK_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (
    url.protocol !== `${DEEP_LINK_SCHEME}:` ||
    url.username ||
    url.password ||
    url.port ||
    url.search ||
    url.hash
  )
    return null;
  // `recrutement://offre/100014A`: « offre » is the host, the number the path.
  const kind = url.hostname.toLowerCase();
  const parts = decodeURIComponent(url.pathname).split('/').filter(Boolean);
  if (kind === 'offre' && parts.length === 1) {
    const number = parts[0]!.toUpperCase();
    return OFFER_NUMBER_PATTERN.test(number) ? { screen: 'offer', number } : null;
  }
  return null;
}

/** The deep link among a process's arguments (Windows and Linux pass it on the command line). */
export function deepLinkFromArgv(argv: unknown): DesktopNavigation | null {
  if (!Array.isArray(argv)) return null;
  for (const arg of argv) {
    if (typeof arg === 'string' && arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) {
      const link = parseDeepLink(arg);
      if (link) return link;
    }
  }
  return null;
}
