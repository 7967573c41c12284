/**
 * Which URLs the desktop shell trusts. Pure (no Electron import) so that it is unit-tested in Node.
 * The renderer is untrusted: every URL it hands to main goes through these checks.
 */
import { EXTERNAL_URL_PROTOCOLS, MAX_EXTERNAL_URL_LENGTH } from '../../shared/ipc/contract';

function parse(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_EXTERNAL_URL_LENGTH) return null;
  // Control characters and spaces are silently stripped or re-encoded by the URL parser: refuse them outright.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to detect them
  if (/[\u0000-\u0020\u007f]/.test(url)) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * May this URL be handed to `shell.openExternal`? Only `https:` (with a host and no credentials),
 * `mailto:` and `tel:` with a non-empty target. Anything else (`http:`, `file:`, `javascript:`,
 * `smb:`, custom schemes that launch local programs…) is refused.
 */
export function isSafeExternalUrl(url: unknown): url is string {
  const parsed = parse(url);
  if (!parsed) return false;
  if (!(EXTERNAL_URL_PROTOCOLS as readonly string[]).includes(parsed.protocol)) return false;
  switch (parsed.protocol) {
    case 'https:':
      return parsed.hostname.length > 0 && parsed.username === '' && parsed.password === '';
    case 'mailto:':
      return /^[^@\s]+@[^@\s]+$/.test(decodeSafely(parsed.pathname));
    case 'tel:':
      return /^\+?[0-9().\- ]{3,32}$/.test(decodeSafely(parsed.pathname));
    default:
      return false;
  }
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return '';
  }
}

/**
 * The app's own origin: an `http(s)` origin (the electron-vite dev server) or a `file:` URL of the
 * directory that holds the built renderer (`file:///…/out/renderer/`).
 */
export function appOriginFromUrl(appUrl: string): string {
  const parsed = new URL(appUrl);
  if (parsed.protocol === 'file:') {
    return new URL('./', parsed).href;
  }
  return parsed.origin;
}

/**
 * Is `url` a page of the app itself? For an `http(s)` app origin: same origin. For a `file:` app
 * origin (a directory URL ending in `/`): a file inside that directory (after `..` normalisation).
 */
export function isAppNavigation(url: unknown, appOrigin: string): boolean {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  let origin: URL;
  try {
    parsed = new URL(url);
    origin = new URL(appOrigin);
  } catch {
    return false;
  }
  if (origin.protocol === 'file:') {
    if (parsed.protocol !== 'file:' || parsed.host !== origin.host) return false;
    const directory = origin.pathname.endsWith('/') ? origin.pathname : `${origin.pathname}/`;
    // Encoded separators could smuggle `..` past the check once the path is decoded.
    if (/%2f|%5c|\\/i.test(parsed.pathname)) return false;
    return parsed.pathname.startsWith(directory) && parsed.pathname.length > directory.length;
  }
  if (origin.protocol !== 'http:' && origin.protocol !== 'https:') return false;
  return parsed.origin === origin.origin && parsed.username === '' && parsed.password === '';
}
