/** Which web permissions the app's pages get. Pure: used by security.ts, tested in Node. */
import { isAppNavigation } from './trusted-url';

/** Everything else (camera, microphone, geolocation, clipboard read, USB, HID, external protocols…) is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  appOrigin: string,
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppNavigation(requestingUrl, appOrigin);
}
