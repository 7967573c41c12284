import { useDocumentTitle } from '../../useDocumentTitle';

export function SelectionsPage(_props: { search: string }) {
  useDocumentTitle('Mes sélections');
  return <h1>Mes sélections</h1>;
}
