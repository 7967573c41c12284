import type { ErrorCode, FieldError } from '../../shared/sync/errors';

/** An error answered to the client as `{ error: { code, message, fields? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody() {
    return {
      error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) },
    };
  }
}

export const badRequest = (message: string, fields?: FieldError[]) =>
  new HttpError(400, fields ? 'validation' : 'bad-request', message, fields);
export const unauthenticated = () =>
  new HttpError(401, 'unauthenticated', 'Vous devez vous connecter pour accéder à cette ressource.');
export const forbidden = (message = 'Vous n’avez pas les droits nécessaires pour cette action.') =>
  new HttpError(403, 'forbidden', message);
export const notFound = (message = 'Ressource introuvable.') => new HttpError(404, 'not-found', message);
