import { useDocumentTitle } from '../../useDocumentTitle';

export function CvListPage(_props: { search: string }) {
  useDocumentTitle('Mes CV');
  return <h1>Mes CV</h1>;
}
