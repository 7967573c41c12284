import { useEffect, useRef } from 'react';
import { COMPANIES_PATH, PRESCRIBERS_PATH } from './directory';
import { SITE_NAME } from './format';
import { CompanyListPage } from './pages/CompanyListPage';
import { CompanyPage } from './pages/CompanyPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OfferListPage } from './pages/OfferListPage';
import { OfferPage } from './pages/OfferPage';
import { PrescriberListPage } from './pages/PrescriberListPage';
import { Link, matchRoute, useLocation } from './router';

export function App() {
  const location = useLocation();
  const route = matchRoute(location);
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After a client-side navigation, start reading and tabbing from the new content,
  // as a full page load would (the skip link stays reachable right before it).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of location.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [location]);

  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="site-header">
        <div className="container site-header__inner">
          <Link to="/" className="brand">
            <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <path d="M9 11h14v12H9z" />
              <path d="M13 11V8h6v3" />
            </svg>
            {SITE_NAME}
          </Link>
          <p className="site-header__tagline">Les offres d’emploi de votre territoire</p>
        </div>
        <nav className="site-nav" aria-label="Menu principal">
          <ul className="container site-nav__list">
            <li>
              <Link
                to="/"
                aria-current={route.name === 'list' || route.name === 'offer' ? 'page' : undefined}
              >
                Offres d’emploi
              </Link>
            </li>
            <li>
              <Link
                to={COMPANIES_PATH}
                aria-current={route.name === 'companies' || route.name === 'company' ? 'page' : undefined}
              >
                Entreprises
              </Link>
            </li>
            <li>
              <Link to={PRESCRIBERS_PATH} aria-current={route.name === 'prescribers' ? 'page' : undefined}>
                Prescripteurs
              </Link>
            </li>
          </ul>
        </nav>
      </header>
      <main id="contenu" tabIndex={-1} ref={main} className="container site-main">
        {route.name === 'list' && <OfferListPage page={route.page} />}
        {route.name === 'offer' && <OfferPage key={route.id} id={route.id} />}
        {route.name === 'companies' && <CompanyListPage criteria={route.criteria} />}
        {route.name === 'company' && <CompanyPage key={route.id} id={route.id} />}
        {route.name === 'prescribers' && <PrescriberListPage criteria={route.criteria} />}
        {route.name === 'not-found' && <NotFoundPage />}
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>
            {SITE_NAME} rassemble les offres publiées par les employeurs et les acteurs de l’emploi du
            territoire. Chaque offre est vérifiée avant sa mise en ligne.
          </p>
          <p>
            © {new Date().getFullYear()} {SITE_NAME}
          </p>
        </div>
      </footer>
    </>
  );
}
