/**
 * Registers the app-shell service worker of the web workstation, so that it reopens
 * offline. Not in Electron (pages load from disk there) nor in development.
 */
export function registerAppShellWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  if (
    location.protocol !== 'https:' &&
    location.hostname !== 'localhost' &&
    location.hostname !== '127.0.0.1'
  )
    return;
  const base = import.meta.env.BASE_URL;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(`${base}sw.js`, { scope: base }).catch(() => {
      // Without it the workstation still works; it just cannot reopen offline.
    });
  });
}
