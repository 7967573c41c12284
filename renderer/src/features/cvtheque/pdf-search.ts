import { fold } from '../../../../shared/domain/cv-search';

/**
 * The pages (1-based) whose text contains the query, compared without case or accents and with
 * runs of spaces as one (« Pâtisserie » finds « patisserie »). An empty query finds nothing.
 */
export function pagesMatching(pageTexts: readonly string[], query: string): number[] {
  const norm = (t: string) => fold(t).replace(/\s+/g, ' ');
  const q = norm(query).trim();
  if (!q) return [];
  const out: number[] = [];
  pageTexts.forEach((text, i) => {
    if (norm(text).includes(q)) out.push(i + 1);
  });
  return out;
}
