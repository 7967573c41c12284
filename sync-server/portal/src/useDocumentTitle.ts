import { useEffect } from 'react';
import { pageTitle } from './format';

/** Every page has its own title (RGAA 8.6), announced when the route changes. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = pageTitle(title);
  }, [title]);
}
