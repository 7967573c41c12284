/**
 * `npm run dist [-- --linux|--win|--mac …]`: builds the desktop workstation and packages it with
 * electron-builder (electron-builder.yml). electron-builder needs Electron's binary for the target
 * platform: from its cache, from `ELECTRON_BUILDER_ELECTRON_DIST` (an unpacked Electron), or
 * downloaded from GitHub (or `ELECTRON_MIRROR`). When none is possible, the build stops here with
 * what to do, instead of a stack trace from the download.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** electron-builder's platform names, from the command line (default: this machine's). */
export function targetPlatforms(args, hostPlatform = process.platform) {
  const wanted = [];
  if (args.some((a) => a === '--linux' || a === '-l')) wanted.push('linux');
  if (args.some((a) => a === '--win' || a === '-w' || a === '--windows')) wanted.push('win32');
  if (args.some((a) => a === '--mac' || a === '-m' || a === '--macos')) wanted.push('darwin');
  return wanted.length > 0 ? wanted : [hostPlatform];
}

export function electronZipName(version, platform, arch) {
  return `electron-v${version}-${platform}-${arch}.zip`;
}

/** Where electron-builder (through @electron/get) caches Electron's zips. */
export function electronCacheDirs(env = process.env, home = homedir(), platform = process.platform) {
  if (env.ELECTRON_CACHE) return [env.ELECTRON_CACHE];
  if (platform === 'darwin') return [join(home, 'Library', 'Caches', 'electron')];
  if (platform === 'win32')
    return [join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'electron', 'Cache')];
  return [join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'electron')];
}

function hasCachedZip(dir, name) {
  if (existsSync(join(dir, name))) return true;
  // @electron/get keeps each download in a folder named by the hash of its URL.
  try {
    return readdirSync(dir, { withFileTypes: true }).some(
      (entry) => entry.isDirectory() && existsSync(join(dir, entry.name, name)),
    );
  } catch {
    return false;
  }
}

/**
 * Whether Electron's binary can be had for each target: `ok`, or the French message saying why not.
 * `probe(url)` resolves true when the download host answers (injected by the tests).
 */
export async function electronAvailability({ version, platforms, arch, env = process.env, probe }) {
  if (env.ELECTRON_BUILDER_ELECTRON_DIST && existsSync(env.ELECTRON_BUILDER_ELECTRON_DIST))
    return { ok: true };
  const missing = platforms.filter(
    (p) => !electronCacheDirs(env).some((dir) => hasCachedZip(dir, electronZipName(version, p, arch))),
  );
  if (missing.length === 0) return { ok: true };
  const mirror = (env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/').replace(
    /\/?$/,
    '/',
  );
  const url = `${mirror}v${version}/${electronZipName(version, missing[0], arch)}`;
  if (await probe(url)) return { ok: true };
  return {
    ok: false,
    message: [
      `Empaquetage impossible : le binaire d’Electron ${version} (${missing.join(', ')}, ${arch}) n’est pas en cache et ne peut pas être téléchargé depuis ${new URL(url).host}.`,
      'Pour empaqueter sur cette machine :',
      `  - placez ${electronZipName(version, missing[0], arch)} dans ${electronCacheDirs(env)[0]} (ou ELECTRON_CACHE),`,
      '  - ou indiquez un miroir joignable (ELECTRON_MIRROR=https://…/),',
      '  - ou un Electron déjà décompressé (ELECTRON_BUILDER_ELECTRON_DIST=/chemin/vers/electron/dist).',
    ].join('\n'),
  };
}

async function probeUrl(url) {
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(8000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

function run(command, args, env) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  return result.status ?? 1;
}

async function main() {
  const args = process.argv.slice(2);
  const env = { ...process.env };
  if (!env.UPDATE_SERVER_URL) {
    env.UPDATE_SERVER_URL = 'http://localhost:3000';
    console.log(
      'UPDATE_SERVER_URL non défini : les postes chercheront leurs mises à jour sur http://localhost:3000 (définissez-le pour une version distribuée).',
    );
  }
  const version = JSON.parse(
    readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'),
  ).version;
  const arch = args.includes('--arm64') ? 'arm64' : args.includes('--ia32') ? 'ia32' : 'x64';
  const availability = await electronAvailability({
    version,
    platforms: targetPlatforms(args),
    arch,
    env,
    probe: probeUrl,
  });
  if (!availability.ok) {
    console.error(availability.message);
    process.exit(1);
  }
  if (run('npm', ['run', 'build:electron'], env) !== 0) {
    console.error('Empaquetage interrompu : la construction (npm run build:electron) a échoué.');
    process.exit(1);
  }
  const builderArgs = ['electron-builder', '--publish', 'never', ...args];
  if (env.ELECTRON_BUILDER_ELECTRON_DIST)
    builderArgs.push(`-c.electronDist=${env.ELECTRON_BUILDER_ELECTRON_DIST}`);
  const status = run('npx', builderArgs, env);
  if (status !== 0) {
    console.error(`Empaquetage interrompu : electron-builder a échoué (code ${status}), voir ci-dessus.`);
    process.exit(status);
  }
  console.log('Paquets prêts dans dist/electron/ ; publication : npm run release:publish (voir le README).');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
