import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

/**
 * Subscribes to an RxDB query observable and returns its latest result (undefined while loading).
 * `factory` must be stable for the same `deps`.
 */
export function useObservableValue<T>(factory: () => Observable<T> | null, deps: readonly unknown[]): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists the dependencies of `factory`.
  useEffect(() => {
    const obs = factory();
    if (!obs) {
      setValue(undefined);
      return;
    }
    const sub = obs.subscribe({ next: (v) => setValue(() => v), error: () => setValue(undefined) });
    return () => sub.unsubscribe();
  }, deps);
  return value;
}
