import { useDocumentTitle } from '../../useDocumentTitle';

export function ConfirmEmailPage(_props: { search: string }) {
  useDocumentTitle('Confirmation de votre adresse e-mail');
  return <h1>Confirmation de votre adresse e-mail</h1>;
}
