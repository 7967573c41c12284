/** Types of scripts/dist.mjs (a plain Node script, run without a compiler). */
export function targetPlatforms(args: string[], hostPlatform?: string): string[];
export function electronZipName(version: string, platform: string, arch: string): string;
export function electronCacheDirs(
  env?: Record<string, string | undefined>,
  home?: string,
  platform?: string,
): string[];
export function electronAvailability(options: {
  version: string;
  platforms: string[];
  arch: string;
  env?: Record<string, string | undefined>;
  probe: (url: string) => Promise<boolean>;
}): Promise<{ ok: true } | { ok: false; message: string }>;
