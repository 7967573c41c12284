/**
 * Content-Security-Policy for the app's own pages, sent as a response header by main (the renderer's
 * `index.html` also carries its own `<meta>` policy; the browser enforces both). Pure, unit-tested.
 */

export interface CspOptions {
  /** Sync server base URL: the renderer fetches, pulls and streams from it, and shows its files. */
  serverUrl: string;
  /** electron-vite dev server URL (`ELECTRON_RENDERER_URL`), only in development. */
  devServerUrl?: string;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const { protocol, origin } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? origin : null;
  } catch {
    return null;
  }
}

export function buildContentSecurityPolicy({ serverUrl, devServerUrl }: CspOptions): string {
  const server = originOf(serverUrl);
  const dev = originOf(devServerUrl);
  const connect = ["'self'", server, dev, dev?.replace(/^http/, 'ws')].filter(Boolean);
  // The dev server injects an inline React Refresh preamble; production scripts are files only.
  const script = dev ? ["'self'", "'unsafe-inline'", dev] : ["'self'"];
  const directives: Record<string, (string | null | undefined)[]> = {
    'default-src': ["'self'"],
    'script-src': script,
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', server],
    'font-src': ["'self'", 'data:'],
    'connect-src': connect,
    'worker-src': ["'self'", 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${[...new Set(sources.filter((s): s is string => !!s))].join(' ')}`)
    .join('; ');
}

/** Adds the policy to a response's headers, replacing any policy the response already had. */
export function withContentSecurityPolicy(
  headers: Record<string, string[] | string> | undefined,
  policy: string,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    result[name] = Array.isArray(value) ? value : [value];
  }
  result['Content-Security-Policy'] = [policy];
  return result;
}
