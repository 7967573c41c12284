import { useDocumentTitle } from '../../useDocumentTitle';

export function ResetPasswordPage(_props: { search: string }) {
  useDocumentTitle('Nouveau mot de passe');
  return <h1>Nouveau mot de passe</h1>;
}
