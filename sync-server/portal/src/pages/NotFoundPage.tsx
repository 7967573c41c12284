import { Link } from '../router';
import { useDocumentTitle } from '../useDocumentTitle';

export function NotFoundPage({
  title = 'Page introuvable',
  message = 'La page que vous cherchez n’existe pas ou a été déplacée.',
  back = '/',
}: {
  title?: string;
  message?: string;
  back?: string;
}) {
  useDocumentTitle(title);
  return (
    <div className="not-found">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to={back} className="button">
          Retour aux offres
        </Link>
      </p>
    </div>
  );
}
