import { useDocumentTitle } from '../../useDocumentTitle';

export function ApplyPage(_props: { offerId: string; search: string }) {
  useDocumentTitle('Postuler');
  return <h1>Postuler</h1>;
}
