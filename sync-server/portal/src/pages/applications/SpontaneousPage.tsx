import { useDocumentTitle } from '../../useDocumentTitle';

export function SpontaneousPage(_props: { companyId: string; search: string }) {
  useDocumentTitle('Candidature spontanée');
  return <h1>Candidature spontanée</h1>;
}
