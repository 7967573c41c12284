import { useDocumentTitle } from '../../useDocumentTitle';

export function AccountPage(_props: { section: 'profil' | 'recherche' | 'parametres'; search: string }) {
  useDocumentTitle('Mon compte');
  return <h1>Mon compte</h1>;
}
