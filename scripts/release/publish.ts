import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import {
  isUpdateChannel,
  isUpdatePlatform,
  parseVersion,
  type UpdateChannel,
  type UpdatePlatform,
} from '../../shared/domain/updates';

/**
 * `npm run release:publish`: uploads a release's artefacts to the sync server's update feed
 * (each installer and, when present beside it, its `.blockmap` for differential downloads), then
 * makes it the current release of a channel. The server checks and refuses with French messages;
 * this client stops at the first refusal and says which file or field is at fault.
 */
export interface PublishOptions {
  server: string;
  token: string;
  platform: UpdatePlatform;
  channel: UpdateChannel;
  version: string;
  /** Installer files; the first is what electron-updater installs (AppImage, exe, mac zip). */
  files: string[];
  stagingPercentage?: number;
  releaseNotes?: string;
  log?: (line: string) => void;
}

export class PublishError extends Error {}

/** The platform of an installer, from its extension (null if none matches). */
export function platformOfFile(file: string): UpdatePlatform | null {
  if (/\.(AppImage|deb)$/.test(file)) return 'linux';
  if (/\.exe$/.test(file)) return 'win';
  if (/\.(dmg|zip)$/.test(file)) return 'mac';
  return null;
}

async function call(options: PublishOptions, path: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${options.server.replace(/\/+$/, '')}${path}`, {
      ...init,
      headers: { ...(init.headers ?? {}), authorization: `Bearer ${options.token}` },
    });
  } catch (err) {
    throw new PublishError(
      `Serveur injoignable (${options.server}) : ${err instanceof Error ? err.message : String(err)}.`,
    );
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  if (!res.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message ?? text.slice(0, 300);
    throw new PublishError(`Refus du serveur (${res.status}) : ${message}`);
  }
  return body;
}

export async function publishRelease(options: PublishOptions): Promise<{ version: string; files: string[] }> {
  const log = options.log ?? (() => {});
  if (!isUpdatePlatform(options.platform)) throw new PublishError('Plateforme : linux, win ou mac.');
  if (!isUpdateChannel(options.channel)) throw new PublishError('Canal : stable ou beta.');
  if (!parseVersion(options.version)) throw new PublishError(`Version invalide : « ${options.version} ».`);
  if (!options.token) throw new PublishError('Jeton absent : définissez UPDATES_PUBLISH_TOKEN.');
  if (options.files.length === 0) throw new PublishError('Indiquez au moins un fichier (l’installeur).');
  const uploads: string[] = [];
  for (const file of options.files) {
    if (!existsSync(file) || !statSync(file).isFile())
      throw new PublishError(`Fichier introuvable : ${file}`);
    uploads.push(file);
    if (existsSync(`${file}.blockmap`)) uploads.push(`${file}.blockmap`);
  }
  for (const file of uploads) {
    const name = basename(file);
    const size = statSync(file).size;
    log(`Envoi de ${name} (${(size / 1024 / 1024).toFixed(1)} Mo)…`);
    await call(options, `/api/updates/${options.platform}/files/${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
  }
  const names = options.files.map((f) => basename(f));
  await call(options, `/api/updates/${options.platform}/${options.channel}/releases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      version: options.version,
      files: names,
      ...(options.stagingPercentage !== undefined ? { stagingPercentage: options.stagingPercentage } : {}),
      ...(options.releaseNotes ? { releaseNotes: options.releaseNotes } : {}),
    }),
  });
  log(
    `Version ${options.version} publiée sur le canal ${options.channel} (${options.platform})${
      options.stagingPercentage !== undefined ? `, pour ${options.stagingPercentage} % des postes` : ''
    }.`,
  );
  return { version: options.version, files: names };
}
