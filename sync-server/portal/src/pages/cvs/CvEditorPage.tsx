import { useDocumentTitle } from '../../useDocumentTitle';

export function CvEditorPage(_props: { id: string; search: string }) {
  useDocumentTitle('Mon CV');
  return <h1>Mon CV</h1>;
}
