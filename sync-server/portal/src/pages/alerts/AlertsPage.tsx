import { useDocumentTitle } from '../../useDocumentTitle';

export function AlertsPage(_props: { search: string }) {
  useDocumentTitle('Mes alertes');
  return <h1>Mes alertes</h1>;
}
