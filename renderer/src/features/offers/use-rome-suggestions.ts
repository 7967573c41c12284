import { useEffect, useState } from 'react';
import { apiFetch } from '../../lib/api';

export interface RomeSuggestion {
  codeOgr: string;
  label: string;
  romeCode: string;
  romeLabel: string;
}

/**
 * Job titles of the ROME referential matching what the recruiter types in « Métier »
 * (asked to the server, debounced). Offline, there are simply no suggestions: the field
 * stays free text and the ROME code can be typed by hand.
 */
export function useRomeSuggestions(query: string): RomeSuggestion[] {
  const [items, setItems] = useState<RomeSuggestion[]>([]);
  useEffect(() => {
    const q = query.trim();
    if (q.length < 2 || !navigator.onLine) {
      setItems([]);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      apiFetch<{ items: RomeSuggestion[] }>(
        `/api/reference/rome/appellations?q=${encodeURIComponent(q)}&limit=8`,
      )
        .then((r) => {
          if (!cancelled) setItems(r.items);
        })
        .catch(() => {
          if (!cancelled) setItems([]);
        });
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query]);
  return items;
}
