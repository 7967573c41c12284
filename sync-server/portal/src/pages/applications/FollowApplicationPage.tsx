import { useDocumentTitle } from '../../useDocumentTitle';

export function FollowApplicationPage(_props: { search: string }) {
  useDocumentTitle('Suivi de ma candidature');
  return <h1>Suivi de ma candidature</h1>;
}
