import { useDocumentTitle } from '../../useDocumentTitle';

export function ApplicationsPage(_props: { search: string }) {
  useDocumentTitle('Mes candidatures');
  return <h1>Mes candidatures</h1>;
}
