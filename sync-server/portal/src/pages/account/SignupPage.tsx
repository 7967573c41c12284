import { useDocumentTitle } from '../../useDocumentTitle';

export function SignupPage(_props: { search: string }) {
  useDocumentTitle('Créer un compte candidat');
  return <h1>Créer un compte candidat</h1>;
}
