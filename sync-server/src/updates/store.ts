import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  compareVersions,
  feedFileName,
  parseVersion,
  type Release,
  type ReleaseFile,
  renderFeed,
  UPDATE_CHANNELS,
  type UpdateChannel,
  type UpdatePlatform,
} from '../../../shared/domain/updates';

/**
 * The update feed's folder (issue 8): `<dir>/<platform>/` holds the artefacts, `files.json` (their
 * SHA-512 and size, computed once when uploaded), `releases.json` (the current release of each
 * channel) and the channels' YAML files rendered from it. Writes go through a temporary file and a
 * rename: a reader never sees half a feed or half an artefact.
 */

/** What an artefact's name may be: a plain file name with an installer's extension. */
const ARTEFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const EXTENSIONS: Record<UpdatePlatform, string[]> = {
  linux: ['.AppImage', '.deb'],
  win: ['.exe'],
  mac: ['.dmg', '.zip'],
};
/** A release's first file: what electron-updater installs on that platform. */
const INSTALLABLE: Record<UpdatePlatform, string[]> = {
  linux: ['.AppImage'],
  win: ['.exe'],
  mac: ['.zip'],
};

export class UpdateError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Whether a name is an artefact of this platform (installer, or its `.blockmap`). */
export function isArtefactName(platform: UpdatePlatform, name: string): boolean {
  if (!ARTEFACT_NAME.test(name) || name.includes('..')) return false;
  const base = name.endsWith('.blockmap') ? name.slice(0, -'.blockmap'.length) : name;
  return EXTENSIONS[platform].some((ext) => base.endsWith(ext) && base.length > ext.length);
}

type FilesIndex = Record<string, ReleaseFile>;
type ReleasesIndex = Partial<Record<UpdateChannel, Release>>;

export interface PublishInput {
  version: string;
  files: string[];
  releaseNotes?: string;
  stagingPercentage?: number;
  /** Release date (default: now). */
  at?: Date;
}

export class UpdateStore {
  /** Writes of one platform run one at a time (the indexes are read, changed and written back). */
  private readonly queues = new Map<UpdatePlatform, Promise<unknown>>();

  constructor(readonly dir: string) {}

  private folder(platform: UpdatePlatform): string {
    return join(this.dir, platform);
  }

  private serial<T>(platform: UpdatePlatform, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(platform) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.queues.set(
      platform,
      next.catch(() => undefined),
    );
    return next;
  }

  private async readJson<T>(platform: UpdatePlatform, name: string, empty: T): Promise<T> {
    try {
      return JSON.parse(await readFile(join(this.folder(platform), name), 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty;
      throw err;
    }
  }

  private async writeAtomic(platform: UpdatePlatform, name: string, text: string): Promise<void> {
    const dir = this.folder(platform);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${name}.${randomUUID()}.tmp`);
    await writeFile(temp, text);
    await rename(temp, join(dir, name));
  }

  /** The current release of each channel of a platform. */
  releases(platform: UpdatePlatform): Promise<ReleasesIndex> {
    return this.readJson<ReleasesIndex>(platform, 'releases.json', {});
  }

  /** The feed's YAML of a channel, or null when nothing was published on it. */
  async feed(platform: UpdatePlatform, channel: UpdateChannel): Promise<string | null> {
    const release = (await this.releases(platform))[channel];
    return release ? renderFeed(release) : null;
  }

  /** The path and metadata of a stored artefact, or null. */
  async artefact(
    platform: UpdatePlatform,
    name: string,
  ): Promise<{ path: string; file: ReleaseFile } | null> {
    if (!isArtefactName(platform, name)) return null;
    const file = (await this.readJson<FilesIndex>(platform, 'files.json', {}))[name];
    const path = join(this.folder(platform), name);
    if (!file || !existsSync(path)) return null;
    return { path, file };
  }

  /**
   * Stores an uploaded artefact (streamed to disk while its SHA-512 is computed). The same name
   * again is accepted only with the same content: a published file never changes under a client.
   */
  async putArtefact(
    platform: UpdatePlatform,
    name: string,
    body: Readable,
    maxBytes = Number.POSITIVE_INFINITY,
  ): Promise<ReleaseFile> {
    if (!isArtefactName(platform, name)) {
      body.resume();
      throw new UpdateError(
        400,
        `Nom de fichier refusé : « ${name} » (lettres, chiffres, « . », « _ », « - », extension ${EXTENSIONS[platform].join(', ')} ou .blockmap).`,
        'file',
      );
    }
    const dir = this.folder(platform);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${name}.${randomUUID()}.upload`);
    const hash = createHash('sha512');
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk);
            size += chunk.length;
            if (size > maxBytes)
              throw new UpdateError(
                413,
                `Fichier trop volumineux : ${Math.round(maxBytes / 1024 / 1024)} Mo au plus.`,
                'file',
              );
            yield chunk;
          }
        },
        createWriteStream(temp),
      );
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    if (size === 0) {
      await rm(temp, { force: true });
      throw new UpdateError(400, 'Fichier vide : le corps de la requête doit contenir l’artefact.', 'file');
    }
    const file: ReleaseFile = { url: name, sha512: hash.digest('base64'), size };
    return this.serial(platform, async () => {
      const files = await this.readJson<FilesIndex>(platform, 'files.json', {});
      const known = files[name];
      if (known && existsSync(join(dir, name))) {
        await rm(temp, { force: true });
        if (known.sha512 !== file.sha512) {
          throw new UpdateError(
            409,
            `Un autre fichier « ${name} » est déjà publié : publiez la nouvelle version sous un autre nom.`,
            'file',
          );
        }
        return known;
      }
      await rename(temp, join(dir, name));
      files[name] = file;
      await this.writeAtomic(platform, 'files.json', `${JSON.stringify(files, null, 2)}\n`);
      return file;
    });
  }

  /**
   * Makes a version the current release of a channel, from artefacts already uploaded. A stable
   * release is also offered on the beta channel when beta has nothing newer.
   */
  async publish(platform: UpdatePlatform, channel: UpdateChannel, input: PublishInput): Promise<Release> {
    if (!parseVersion(input.version))
      throw new UpdateError(
        400,
        `Version invalide : « ${input.version} » (par exemple 1.4.0 ou 1.5.0-beta.1).`,
        'version',
      );
    if (channel === 'stable' && parseVersion(input.version)!.pre.length > 0)
      throw new UpdateError(
        400,
        'Une pré-version (« -beta… ») ne se publie que sur le canal beta.',
        'version',
      );
    if (!Array.isArray(input.files) || input.files.length === 0)
      throw new UpdateError(400, 'Indiquez au moins un fichier (l’installeur).', 'files');
    checkStaging(input.stagingPercentage);
    if (
      input.releaseNotes !== undefined &&
      (typeof input.releaseNotes !== 'string' || input.releaseNotes.length > 5000)
    )
      throw new UpdateError(400, 'Notes de version : texte de 5 000 caractères au plus.', 'releaseNotes');
    const first = input.files[0]!;
    if (!INSTALLABLE[platform].some((ext) => first.endsWith(ext)))
      throw new UpdateError(
        400,
        `Le premier fichier doit être l’installeur mis à jour automatiquement (${INSTALLABLE[platform].join(', ')}).`,
        'files',
      );
    return this.serial(platform, async () => {
      const files = await this.readJson<FilesIndex>(platform, 'files.json', {});
      const listed: ReleaseFile[] = [];
      for (const name of input.files) {
        const file = files[name];
        if (!file || name.endsWith('.blockmap'))
          throw new UpdateError(
            400,
            file
              ? `« ${name} » : un .blockmap accompagne l’installeur, il ne se publie pas seul.`
              : `Fichier inconnu : « ${name} » (envoyez-le d’abord).`,
            'files',
          );
        listed.push(file);
      }
      const releases = await this.releases(platform);
      const current = releases[channel];
      if (current && compareVersions(input.version, current.version) <= 0)
        throw new UpdateError(
          409,
          `La version ${input.version} n’est pas plus récente que celle du canal ${channel} (${current.version}).`,
          'version',
        );
      const release: Release = {
        version: input.version,
        files: listed,
        releaseDate: (input.at ?? new Date()).toISOString(),
        ...(input.stagingPercentage !== undefined ? { stagingPercentage: input.stagingPercentage } : {}),
        ...(input.releaseNotes ? { releaseNotes: input.releaseNotes } : {}),
      };
      releases[channel] = release;
      if (channel === 'stable') {
        const beta = releases.beta;
        if (!beta || compareVersions(beta.version, release.version) < 0) releases.beta = release;
      }
      await this.writeIndexes(platform, releases);
      return release;
    });
  }

  /** Changes the roll-out of a channel's current release (100: everyone). */
  async setStaging(platform: UpdatePlatform, channel: UpdateChannel, percentage: number): Promise<Release> {
    checkStaging(percentage);
    return this.serial(platform, async () => {
      const releases = await this.releases(platform);
      const current = releases[channel];
      if (!current) throw new UpdateError(404, `Aucune version publiée sur le canal ${channel}.`);
      const { stagingPercentage: _previous, ...rest } = current;
      const next: Release = percentage >= 100 ? rest : { ...rest, stagingPercentage: percentage };
      releases[channel] = next;
      // The same release offered on beta follows.
      if (channel === 'stable' && releases.beta?.version === current.version) releases.beta = next;
      await this.writeIndexes(platform, releases);
      return next;
    });
  }

  private async writeIndexes(platform: UpdatePlatform, releases: ReleasesIndex): Promise<void> {
    await this.writeAtomic(platform, 'releases.json', `${JSON.stringify(releases, null, 2)}\n`);
    for (const channel of UPDATE_CHANNELS) {
      const release = releases[channel];
      if (release) await this.writeAtomic(platform, feedFileName(channel, platform), renderFeed(release));
    }
  }

  /** Size on disk of an artefact (for the range answers). */
  async size(path: string): Promise<number> {
    return (await stat(path)).size;
  }

  read(path: string, range?: { start: number; end: number }): Readable {
    return createReadStream(path, range);
  }
}

function checkStaging(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100)
    throw new UpdateError(400, 'Pourcentage de déploiement : entier de 1 à 100.', 'stagingPercentage');
}
