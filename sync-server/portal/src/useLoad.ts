import { useCallback, useEffect, useState } from 'react';

export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; data: T };

/**
 * Loads `key` with `loader`, aborting the previous request when the key changes.
 * `retry()` loads the same key again.
 */
export function useLoad<T>(
  key: string,
  loader: (signal: AbortSignal) => Promise<T>,
): [LoadState<T>, () => void] {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ key: string; attempt: number; value: LoadState<T> }>({
    key,
    attempt,
    value: { status: 'loading' },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: the loader is recreated each render; the key names what it loads.
  useEffect(() => {
    const controller = new AbortController();
    setState({ key, attempt, value: { status: 'loading' } });
    loader(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, attempt, value: { status: 'ready', data } });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ key, attempt, value: { status: 'error', error } });
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  // Until the effect runs for a new key, what we hold belongs to the old one.
  const current =
    state.key === key && state.attempt === attempt ? state.value : { status: 'loading' as const };
  return [current, retry];
}
