/**
 * Session-wide and per-page guards: navigation, new windows, CSP header, permissions, webviews.
 * The decisions are pure functions (trusted-url, csp, permissions); this file only wires them to Electron.
 */
import { app, type Session, shell, type WebContents } from 'electron';
import { withContentSecurityPolicy } from './csp';
import { isPermissionAllowed } from './permissions';
import { isAppNavigation, isSafeExternalUrl } from './trusted-url';

export interface SecurityOptions {
  session: Session;
  /** See `appOriginFromUrl`: the dev server origin, or the `file:` URL of the built renderer directory. */
  appOrigin: string;
  contentSecurityPolicy: string;
  log?: (message: string) => void;
}

function guardContents(contents: WebContents, appOrigin: string, log: (message: string) => void): void {
  const blockForeignNavigation = (event: { url: string; preventDefault(): void }) => {
    if (!isAppNavigation(event.url, appOrigin)) {
      event.preventDefault();
      log(`Navigation bloquée vers ${event.url}`);
    }
  };
  // Main frame and sub-frames; redirects too (a server redirect must not lead the app elsewhere).
  contents.on('will-navigate', blockForeignNavigation);
  contents.on('will-frame-navigate', blockForeignNavigation);
  contents.on('will-redirect', blockForeignNavigation);

  // No new Electron windows: allowlisted links open in the system's browser / mail / phone app.
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) {
      shell
        .openExternal(url)
        .catch((error: unknown) => log(`Ouverture externe impossible : ${String(error)}`));
    } else {
      log(`Ouverture de fenêtre refusée pour ${url}`);
    }
    return { action: 'deny' };
  });

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('Balise <webview> refusée.');
  });
}

export function installSecurity({
  session,
  appOrigin,
  contentSecurityPolicy,
  log = () => {},
}: SecurityOptions): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL(), appOrigin));
  });
  session.setPermissionCheckHandler((contents, permission, _requestingOrigin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? contents?.getURL(), appOrigin),
  );

  // CSP as a header for the app's own documents (the renderer's <meta> policy applies as well).
  session.webRequest.onHeadersReceived((details, callback) => {
    const isDocument = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    if (isDocument && isAppNavigation(details.url, appOrigin)) {
      callback({
        responseHeaders: withContentSecurityPolicy(details.responseHeaders, contentSecurityPolicy),
      });
    } else {
      callback({});
    }
  });

  app.on('web-contents-created', (_event, contents) => guardContents(contents, appOrigin, log));
}
