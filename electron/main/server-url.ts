/**
 * Where the sync server is: env `WORKSTATION_SERVER_URL`, else `serverUrl` in the settings file
 * (`settings.json` in userData), else the default. Pure: callers read the env and the file.
 */

export const DEFAULT_SERVER_URL = 'http://localhost:3000';
export const SERVER_URL_ENV = 'WORKSTATION_SERVER_URL';
export const SETTINGS_FILE_NAME = 'settings.json';

/** Hosts plain `http:` may reach: this computer only (the bearer token must never cross a network in clear). */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An `https:` URL, or `http:` to this computer, without credentials, query or fragment, normalised
 * without a trailing slash; else null.
 */
export function normalizeServerUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) return null;
  if (url.username || url.password || url.search || url.hash) return null;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export interface ServerUrlSources {
  env: Record<string, string | undefined>;
  /** Contents of the settings file, or null when it does not exist. */
  settingsText: string | null;
}

export interface ResolvedServerUrl {
  url: string;
  source: 'env' | 'settings' | 'default';
  /** Values that were present but unusable (reported in the log, in French). */
  warnings: string[];
}

export function resolveServerUrl({ env, settingsText }: ServerUrlSources): ResolvedServerUrl {
  const warnings: string[] = [];
  const fromEnv = env[SERVER_URL_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const url = normalizeServerUrl(fromEnv);
    if (url) return { url, source: 'env', warnings };
    warnings.push(
      `${SERVER_URL_ENV} ignorée : adresse https:// attendue (http:// seulement vers cet ordinateur) (${JSON.stringify(fromEnv)}).`,
    );
  }
  if (settingsText !== null) {
    let settings: unknown;
    try {
      settings = JSON.parse(settingsText);
    } catch {
      warnings.push(`${SETTINGS_FILE_NAME} ignoré : ce n'est pas du JSON valide.`);
    }
    if (settings && typeof settings === 'object' && 'serverUrl' in settings) {
      const url = normalizeServerUrl((settings as { serverUrl: unknown }).serverUrl);
      if (url) return { url, source: 'settings', warnings };
      warnings.push(
        `${SETTINGS_FILE_NAME} : serverUrl ignorée, adresse https:// attendue (http:// seulement vers cet ordinateur).`,
      );
    }
  }
  return { url: DEFAULT_SERVER_URL, source: 'default', warnings };
}
