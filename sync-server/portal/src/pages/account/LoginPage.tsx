import { useDocumentTitle } from '../../useDocumentTitle';

export function LoginPage(_props: { search: string }) {
  useDocumentTitle('Connexion');
  return <h1>Connexion</h1>;
}
