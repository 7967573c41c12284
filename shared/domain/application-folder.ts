/**
 * Application folders (« Mes dossiers de candidature », seed 004): the candidate keeps several
 * folders, each a CV (one of their CVs, or a CV file alone), a cover letter (text and/or a PDF
 * letter) and optionally a video link, and picks the one that suits an offer when applying.
 *
 * The server validates every write with `validateFolderInput`; the portal runs the same checks
 * before sending, so the messages are the same on both sides.
 */
import type { FieldError } from '../sync/errors';

/** Folders per candidate. */
export const MAX_FOLDERS = 10;
export const FOLDER_NAME_MAX = 120;
export const LETTER_TEXT_MAX = 10_000;
export const VIDEO_URL_MAX = 500;
export const FILE_NAME_MAX = 200;

/** A file attached to a folder (content-addressed: see `shared/domain/files.ts`). */
export interface FolderFile {
  sha256: string;
  /** The name the candidate gave the file (shown, never used to store it). */
  name: string;
  mime: string;
  size: number;
}

/** What `GET /api/candidate/folders` lists (stable: the application form reads it). */
export interface ApplicationFolder {
  id: string;
  name: string;
  /** One of the candidate's CVs, or null when the folder holds a CV file alone. */
  cvId: string | null;
  cvTitle: string | null;
  /** The CV file alone (when `cvId` is null). */
  cvFile: FolderFile | null;
  /** Lettre de motivation, as text (may be empty when a letter file is given). */
  letterText: string;
  letterFile: FolderFile | null;
  /** https only. */
  videoUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A file as the client names it: the hash of an uploaded file and its display name. */
export interface FolderFileInput {
  sha256: string;
  name: string;
}

/** Body of `POST /api/candidate/folders` and `PUT /api/candidate/folders/:id`. */
export interface ApplicationFolderInput {
  name: string;
  cvId: string | null;
  cvFile: FolderFileInput | null;
  letterText: string;
  letterFile: FolderFileInput | null;
  videoUrl: string | null;
}

export type VideoProvider = 'youtube' | 'vimeo' | 'dailymotion' | 'autre';

export const VIDEO_PROVIDER_LABELS: Record<VideoProvider, string> = {
  youtube: 'YouTube',
  vimeo: 'Vimeo',
  dailymotion: 'Dailymotion',
  autre: 'Lien vidéo',
};

const PROVIDER_HOSTS: [VideoProvider, RegExp][] = [
  ['youtube', /^((www|m|music)\.)?youtube(-nocookie)?\.com$|^youtu\.be$/],
  ['vimeo', /^((www|player)\.)?vimeo\.com$/],
  ['dailymotion', /^((www|geo)\.)?dailymotion\.com$|^dai\.ly$/],
];

export const FOLDER_MESSAGES = {
  name: `Donnez un nom au dossier (${FOLDER_NAME_MAX} caractères au plus).`,
  cvMissing: 'Choisissez l’un de vos CV ou joignez un fichier CV.',
  cvBoth: 'Choisissez soit l’un de vos CV, soit un fichier CV, pas les deux.',
  cvId: 'CV inconnu : choisissez l’un de vos CV.',
  file: 'Fichier invalide : envoyez-le à nouveau.',
  fileName: `Nom de fichier invalide (${FILE_NAME_MAX} caractères au plus).`,
  letterText: `La lettre de motivation dépasse ${LETTER_TEXT_MAX.toLocaleString('fr-FR')} caractères.`,
  video:
    'Lien vidéo invalide : indiquez une adresse complète commençant par https:// (YouTube, Vimeo, Dailymotion ou autre site).',
  videoTooLong: `Le lien vidéo dépasse ${VIDEO_URL_MAX} caractères.`,
  tooMany: `Vous avez déjà ${MAX_FOLDERS} dossiers de candidature : supprimez-en un pour en créer un autre.`,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256 = /^[0-9a-f]{64}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: newlines and tabs are allowed in a letter.
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * A video link: https only, no credentials, a real host name. Known providers are recognised
 * (YouTube, Vimeo, Dailymotion); any other https address is accepted as « autre ».
 */
export function parseVideoUrl(
  raw: string,
): { ok: true; url: string; provider: VideoProvider } | { ok: false; message: string } {
  const value = raw.trim();
  if (value.length > VIDEO_URL_MAX) return { ok: false, message: FOLDER_MESSAGES.videoTooLong };
  if (/\s/.test(value) || !/^https:\/\//i.test(value)) return { ok: false, message: FOLDER_MESSAGES.video };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, message: FOLDER_MESSAGES.video };
  }
  const host = url.hostname.toLowerCase();
  if (
    url.protocol !== 'https:' ||
    url.username ||
    url.password ||
    !/^[a-z0-9.-]+$/.test(host) ||
    !/\.[a-z]{2,}$/.test(host) ||
    host.startsWith('.') ||
    host.includes('..')
  )
    return { ok: false, message: FOLDER_MESSAGES.video };
  const provider = PROVIDER_HOSTS.find(([, re]) => re.test(host))?.[0] ?? 'autre';
  return { ok: true, url: url.toString(), provider };
}

export function videoProvider(url: string): VideoProvider | null {
  const parsed = parseVideoUrl(url);
  return parsed.ok ? parsed.provider : null;
}

function fileInput(value: unknown, field: string, errors: FieldError[]): FolderFileInput | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ field, message: FOLDER_MESSAGES.file });
    return null;
  }
  const { sha256, name } = value as Record<string, unknown>;
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) {
    errors.push({ field, message: FOLDER_MESSAGES.file });
    return null;
  }
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed || trimmed.length > FILE_NAME_MAX || CONTROL.test(trimmed) || /[\\/]/.test(trimmed)) {
    errors.push({ field, message: FOLDER_MESSAGES.fileName });
    return null;
  }
  return { sha256, name: trimmed };
}

/**
 * Checks a folder as a client sent it: every field typed and within its limits, exactly one CV
 * (one of the candidate's CVs or a file), a video link that is https. Whether the CV and the files
 * belong to the candidate is checked by the server afterwards.
 */
export function validateFolderInput(
  body: unknown,
): { ok: true; value: ApplicationFolderInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, errors: [{ field: 'name', message: FOLDER_MESSAGES.name }] };
  const b = body as Record<string, unknown>;

  const name = typeof b.name === 'string' ? b.name.trim().replace(/\s+/g, ' ') : '';
  if (!name || name.length > FOLDER_NAME_MAX || CONTROL.test(name))
    errors.push({ field: 'name', message: FOLDER_MESSAGES.name });

  let cvId: string | null = null;
  if (b.cvId !== null && b.cvId !== undefined && b.cvId !== '') {
    if (isUuid(b.cvId)) cvId = b.cvId.toLowerCase();
    else errors.push({ field: 'cvId', message: FOLDER_MESSAGES.cvId });
  }
  const cvFile = fileInput(b.cvFile, 'cvFile', errors);
  if (!errors.some((e) => e.field === 'cvId' || e.field === 'cvFile')) {
    if (cvId && cvFile) errors.push({ field: 'cvId', message: FOLDER_MESSAGES.cvBoth });
    else if (!cvId && !cvFile) errors.push({ field: 'cvId', message: FOLDER_MESSAGES.cvMissing });
  }

  let letterText = '';
  if (b.letterText !== undefined && b.letterText !== null) {
    if (typeof b.letterText !== 'string')
      errors.push({ field: 'letterText', message: FOLDER_MESSAGES.letterText });
    else {
      letterText = b.letterText.replace(/\r\n?/g, '\n').trim();
      if (letterText.length > LETTER_TEXT_MAX || TEXT_CONTROL.test(letterText))
        errors.push({ field: 'letterText', message: FOLDER_MESSAGES.letterText });
    }
  }
  const letterFile = fileInput(b.letterFile, 'letterFile', errors);

  let videoUrl: string | null = null;
  if (b.videoUrl !== undefined && b.videoUrl !== null && b.videoUrl !== '') {
    if (typeof b.videoUrl !== 'string') errors.push({ field: 'videoUrl', message: FOLDER_MESSAGES.video });
    else {
      const parsed = parseVideoUrl(b.videoUrl);
      if (parsed.ok) videoUrl = parsed.url;
      else errors.push({ field: 'videoUrl', message: parsed.message });
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { name, cvId, cvFile, letterText, letterFile, videoUrl } };
}
