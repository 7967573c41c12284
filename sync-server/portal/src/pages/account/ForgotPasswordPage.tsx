import { useDocumentTitle } from '../../useDocumentTitle';

export function ForgotPasswordPage(_props: { search: string }) {
  useDocumentTitle('Mot de passe oublié');
  return <h1>Mot de passe oublié</h1>;
}
