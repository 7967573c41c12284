/**
 * Whether the server answered lately. navigator.onLine alone lies (captive portals, server down),
 * so requests report their outcome here and the header combines both.
 */
type Listener = (reachable: boolean) => void;

let reachable = true;
const listeners = new Set<Listener>();

function set(value: boolean): void {
  if (value === reachable) return;
  reachable = value;
  for (const l of listeners) l(value);
}

export function reportNetworkSuccess(): void {
  set(true);
}

export function reportNetworkFailure(): void {
  set(false);
}

export function isServerReachable(): boolean {
  return reachable;
}

export function onServerReachableChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
