import { useCallback, useEffect, useState } from 'react';
import { ApiError, NetworkError } from '../../lib/api';

/** What the moderators' screens need of an API error (ApiError of `lib/api`, or a network failure). */
export interface ApiProblem {
  status?: number;
  message: string;
  fields?: readonly { field: string; message: string }[];
}

/** An error of `apiFetch` as an `ApiProblem`, `fallback` for anything else. */
export function toProblem(err: unknown, fallback: string): ApiProblem {
  if (err instanceof ApiError) return { status: err.status, message: err.message, fields: err.fields };
  if (err instanceof NetworkError) return { message: err.message };
  return { message: fallback };
}

/** Focuses an element by id once React has committed the render that shows (and enables) it. */
export function useFocusRequest(): (id: string) => void {
  const [request, setRequest] = useState<{ id: string } | null>(null);
  useEffect(() => {
    if (request) document.getElementById(request.id)?.focus();
  }, [request]);
  return useCallback((id: string) => setRequest({ id }), []);
}
