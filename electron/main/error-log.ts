/**
 * The workstation's error log (issue 8): crashes and errors of the desktop app, written to a local
 * file the user can send to support (« Aide » → « Ouvrir le journal d’erreurs »). Nothing personal
 * goes in: e-mail addresses, phone numbers, tokens and the user's home folder are masked before
 * writing. The file is capped (the previous one is kept as `.1`).
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const ERROR_LOG_FILE = 'poste-recruteur.log';
const MAX_LINE = 4000;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** French numbers (06 12 34 56 78, +33 6 12 34 56 78, 0612345678…). */
const PHONE = /(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}/g;
/** Bearer tokens and other long random strings (session tokens are 43 base64url characters). */
const TOKEN = /\b(?:Bearer\s+)?[A-Za-z0-9_-]{32,}\b/g;

/** The text with what could identify a person masked. */
export function scrub(text: string, home = homedir()): string {
  let out = text.replace(EMAIL, '<e-mail>').replace(PHONE, '<téléphone>').replace(TOKEN, '<jeton>');
  if (home && home.length > 1) out = out.split(home).join('~');
  return out;
}

export interface ErrorLog {
  readonly path: string;
  write(level: 'erreur' | 'avertissement' | 'info', message: string): void;
}

export function createErrorLog(options: {
  dir: string;
  maxBytes?: number;
  now?: () => Date;
  home?: string;
}): ErrorLog {
  const path = join(options.dir, ERROR_LOG_FILE);
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const now = options.now ?? (() => new Date());
  return {
    path,
    write(level, message) {
      try {
        mkdirSync(options.dir, { recursive: true });
        if (existsSync(path) && statSync(path).size > maxBytes) renameSync(path, `${path}.1`);
        const line = scrub(message, options.home).replace(/\r?\n/g, ' ⏎ ').slice(0, MAX_LINE);
        appendFileSync(path, `${now().toISOString()} ${level} ${line}\n`);
      } catch {
        // A log that cannot be written must never break the app.
      }
    },
  };
}

/** An error as one line: its name, message and stack (scrubbed when written). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}${error.stack ? ` ${error.stack}` : ''}`;
  return String(error);
}
