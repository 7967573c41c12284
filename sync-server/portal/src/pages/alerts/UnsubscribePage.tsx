import { useDocumentTitle } from '../../useDocumentTitle';

export function UnsubscribePage(_props: { search: string }) {
  useDocumentTitle('Désinscription des alertes');
  return <h1>Désinscription des alertes</h1>;
}
