/** Error codes shared by client and server; HTTP errors are `{ error: { code, message, fields? } }`. */
export type ErrorCode =
  | 'bad-request'
  | 'invalid-json'
  | 'validation'
  | 'unauthenticated'
  /** A session closed from elsewhere (password changed, account suspended or deleted): wipe local data. */
  | 'session-revoked'
  | 'forbidden'
  | 'not-found'
  | 'unknown-collection'
  | 'outdated-client'
  | 'payload-too-large'
  | 'too-many-requests'
  | 'email-taken'
  | 'invalid-credentials'
  | 'conflict'
  | 'organisation-not-verified'
  | 'gone'
  | 'unsupported-media-type'
  /** A message the messaging rules refuse (who may write to whom, blocks). */
  | 'messaging-refused'
  | 'internal';

export interface FieldError {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldError[] };
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return (
    !!value &&
    typeof value === 'object' &&
    'error' in value &&
    !!(value as ApiErrorBody).error &&
    typeof (value as ApiErrorBody).error.message === 'string'
  );
}
