import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

/**
 * Subscribes to an observable (typically an RxDB query's `$`) and returns its latest value
 * (undefined while loading). Memoize the observable (useMemo) so it is not recreated on every render.
 */
export function useObservableValue<T>(obs: Observable<T> | null): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    if (!obs) {
      setValue(undefined);
      return;
    }
    const sub = obs.subscribe({ next: (v) => setValue(() => v), error: () => setValue(undefined) });
    return () => sub.unsubscribe();
  }, [obs]);
  return value;
}
