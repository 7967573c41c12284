/**
 * Publishes a built release on the sync server's update feed:
 *
 *   UPDATES_PUBLISH_TOKEN=… npm run release:publish -- --server https://emploi.exemple.fr \
 *     --channel stable [--staging 20] [--notes "…"] [--version 1.4.0] dist/electron/poste-recruteur-1.4.0-x86_64.AppImage
 *
 * The platform comes from the installer's extension (or `--platform`), the version from
 * package.json (or `--version`), the server from `--server` or UPDATE_SERVER_URL.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isUpdateChannel, isUpdatePlatform } from '../shared/domain/updates';
import { PublishError, platformOfFile, publishRelease } from './release/publish';

function fail(message: string): never {
  console.error(`Publication impossible : ${message}`);
  process.exit(1);
}

let parsed: ReturnType<typeof parseArgs>;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      channel: { type: 'string', default: 'stable' },
      platform: { type: 'string' },
      version: { type: 'string' },
      staging: { type: 'string' },
      notes: { type: 'string' },
    },
  });
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
const { values, positionals } = parsed;
const server = (values.server as string | undefined) ?? process.env.UPDATE_SERVER_URL;
if (!server) fail('indiquez le serveur (--server https://… ou UPDATE_SERVER_URL).');
if (positionals.length === 0)
  fail('indiquez le fichier de l’installeur (par exemple dist/electron/…AppImage).');
const platform = (values.platform as string | undefined) ?? platformOfFile(positionals[0]!);
if (!isUpdatePlatform(platform)) fail('plateforme inconnue : --platform linux, win ou mac.');
const channel = values.channel as string;
if (!isUpdateChannel(channel)) fail('canal inconnu : --channel stable ou beta.');
const version =
  (values.version as string | undefined) ??
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
let stagingPercentage: number | undefined;
if (values.staging !== undefined) {
  stagingPercentage = Number(values.staging);
  if (!Number.isInteger(stagingPercentage) || stagingPercentage < 1 || stagingPercentage > 100)
    fail('--staging : entier de 1 à 100 (pourcentage des postes).');
}

try {
  await publishRelease({
    server,
    token: process.env.UPDATES_PUBLISH_TOKEN ?? '',
    platform,
    channel,
    version,
    files: positionals,
    ...(stagingPercentage !== undefined ? { stagingPercentage } : {}),
    ...(values.notes ? { releaseNotes: values.notes as string } : {}),
    log: (line) => console.log(line),
  });
} catch (err) {
  fail(err instanceof PublishError ? err.message : err instanceof Error ? err.message : String(err));
}
