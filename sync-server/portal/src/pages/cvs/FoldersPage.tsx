import { useDocumentTitle } from '../../useDocumentTitle';

export function FoldersPage(_props: { search: string }) {
  useDocumentTitle('Mes dossiers de candidature');
  return <h1>Mes dossiers de candidature</h1>;
}
