import { Link } from '../router';

/** Previous / next page links of a directory, in the offer list's layout. */
export function DirectoryPagination({
  page,
  pageCount,
  hrefFor,
}: {
  page: number;
  pageCount: number;
  hrefFor: (page: number) => string;
}) {
  if (pageCount <= 1 && page <= 1) return null;
  return (
    <nav className="pagination" aria-label="Pagination">
      {page > 1 ? (
        <Link className="button button--secondary pagination__prev" to={hrefFor(page - 1)} rel="prev">
          <span className="pagination__arrow" aria-hidden="true">
            ←
          </span>
          Page précédente
        </Link>
      ) : null}
      <p className="pagination__status">
        Page {page} sur {Math.max(pageCount, page)}
      </p>
      {page < pageCount ? (
        <Link className="button button--secondary pagination__next" to={hrefFor(page + 1)} rel="next">
          Page suivante
          <span className="pagination__arrow" aria-hidden="true">
            →
          </span>
        </Link>
      ) : null}
    </nav>
  );
}
