/**
 * Updates of the desktop workstation (issue 8): what the sync server's update feed and the
 * workstation's updater agree on. Pure functions, no I/O.
 *
 * The feed follows electron-updater's generic provider: per platform, a folder served at
 * `/updates/<platform>/` with one YAML file per channel (`latest-linux.yml`, `beta-linux.yml`,
 * `latest.yml` for Windows, `latest-mac.yml`…) and the artefacts beside them.
 */

export const UPDATE_PLATFORMS = ['linux', 'win', 'mac'] as const;
export type UpdatePlatform = (typeof UPDATE_PLATFORMS)[number];

export const UPDATE_CHANNELS = ['stable', 'beta'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

export const UPDATE_PLATFORM_LABELS: Record<UpdatePlatform, string> = {
  linux: 'Linux',
  win: 'Windows',
  mac: 'macOS',
};

export function isUpdatePlatform(value: unknown): value is UpdatePlatform {
  return typeof value === 'string' && (UPDATE_PLATFORMS as readonly string[]).includes(value);
}

export function isUpdateChannel(value: unknown): value is UpdateChannel {
  return typeof value === 'string' && (UPDATE_CHANNELS as readonly string[]).includes(value);
}

/** The feed file electron-updater asks for: `latest` for stable, the channel's name otherwise. */
export function feedFileName(channel: UpdateChannel, platform: UpdatePlatform): string {
  const base = channel === 'stable' ? 'latest' : channel;
  const suffix = platform === 'win' ? '' : `-${platform}`;
  return `${base}${suffix}.yml`;
}

/** The channel of a feed file name of this platform, or null (not a feed file). */
export function channelOfFeedFile(file: string, platform: UpdatePlatform): UpdateChannel | null {
  for (const channel of UPDATE_CHANNELS) if (feedFileName(channel, platform) === file) return channel;
  return null;
}

export interface ParsedVersion {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`1.2.0-beta.3` → ['beta', 3]); empty for a release. */
  pre: (string | number)[];
}

const VERSION =
  /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** A semantic version (`1.4.2`, `1.5.0-beta.1`), or null. Build metadata is not accepted. */
export function parseVersion(text: unknown): ParsedVersion | null {
  if (typeof text !== 'string' || text.length > 64) return null;
  const m = VERSION.exec(text);
  if (!m) return null;
  const pre = m[4] ? m[4].split('.').map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p)) : [];
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre };
}

/** Semantic-version order: < 0 if a is older than b, 0 if equal, > 0 if newer. Invalid throws. */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) throw new Error(`Version invalide : « ${va ? b : a} ».`);
  for (const k of ['major', 'minor', 'patch'] as const) if (va[k] !== vb[k]) return va[k] - vb[k];
  // A release is newer than its pre-releases.
  if (va.pre.length === 0 || vb.pre.length === 0) return vb.pre.length - va.pre.length;
  for (let i = 0; i < Math.max(va.pre.length, vb.pre.length); i++) {
    const x = va.pre[i];
    const y = vb.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Staged roll-out (`stagingPercentage` in the feed), decided as electron-updater does: the last
 * four bytes of the installation's staging id (a UUID kept in its data folder) as a fraction of
 * 2³²−1, times 100, below the percentage. Without a percentage, everyone; with an unreadable id,
 * no one until the roll-out is complete.
 */
export function isInStagedRollout(stagingPercentage: number | undefined, stagingUserId: string): boolean {
  if (stagingPercentage === undefined || stagingPercentage >= 100) return true;
  if (!(stagingPercentage > 0)) return false;
  const hex = stagingUserId.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return false;
  const value = Number.parseInt(hex.slice(24, 32), 16);
  return (value / 0xffffffff) * 100 < stagingPercentage;
}

/** One artefact of a release, as listed in the feed. */
export interface ReleaseFile {
  /** File name, relative to the feed's folder. */
  url: string;
  /** SHA-512 of the file, base64 (what electron-updater checks after the download). */
  sha512: string;
  size: number;
}

export interface Release {
  version: string;
  files: ReleaseFile[];
  releaseDate: string;
  /** Percentage of installations offered this release (absent: all). */
  stagingPercentage?: number;
  releaseNotes?: string;
}

/**
 * The feed's YAML as electron-updater reads it (`version`, `files`, and the legacy `path` and
 * `sha512` of the first file). Every string is quoted: a version like `1.10` or a note with « : »
 * stays a string.
 */
export function renderFeed(release: Release): string {
  const q = (s: string) => JSON.stringify(s);
  const first = release.files[0];
  const lines = [`version: ${q(release.version)}`, 'files:'];
  for (const f of release.files) {
    lines.push(`  - url: ${q(f.url)}`, `    sha512: ${q(f.sha512)}`, `    size: ${f.size}`);
  }
  if (first) lines.push(`path: ${q(first.url)}`, `sha512: ${q(first.sha512)}`);
  lines.push(`releaseDate: ${q(release.releaseDate)}`);
  if (release.stagingPercentage !== undefined) lines.push(`stagingPercentage: ${release.stagingPercentage}`);
  if (release.releaseNotes) lines.push(`releaseNotes: ${q(release.releaseNotes)}`);
  return `${lines.join('\n')}\n`;
}
