/** Argument checks for IPC handlers: the renderer is untrusted, every value is checked in main. */

export type IpcErrorCode = 'invalid-argument' | 'forbidden-sender' | 'internal';

/** An error whose French message may be shown to the renderer as is. */
export class IpcError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

export function invalidArgument(message: string): IpcError {
  return new IpcError('invalid-argument', message);
}

export function expectString(
  value: unknown,
  label: string,
  { min = 1, max }: { min?: number; max: number },
): string {
  if (typeof value !== 'string') throw invalidArgument(`${label} : une chaîne de caractères est attendue.`);
  if (value.length < min || value.length > max) {
    throw invalidArgument(`${label} : longueur attendue entre ${min} et ${max} caractères.`);
  }
  return value;
}

/** A bearer token: visible ASCII only (no spaces, no control characters), bounded length. */
export function expectToken(value: unknown, max: number): string {
  const token = expectString(value, 'Jeton de session', { max });
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw invalidArgument('Jeton de session : caractères non autorisés.');
  }
  return token;
}
