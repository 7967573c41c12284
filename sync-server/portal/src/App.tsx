import { useEffect, useRef } from 'react';
import { COMPANIES_PATH, PRESCRIBERS_PATH } from './directory';
import { SITE_NAME } from './format';
import { AgendaPage } from './pages/AgendaPage';
import { AccountPage } from './pages/account/AccountPage';
import { ConfirmEmailPage } from './pages/account/ConfirmEmailPage';
import { ForgotPasswordPage } from './pages/account/ForgotPasswordPage';
import { LoginPage } from './pages/account/LoginPage';
import { ResetPasswordPage } from './pages/account/ResetPasswordPage';
import { SignupPage } from './pages/account/SignupPage';
import { AlertsPage } from './pages/alerts/AlertsPage';
import { UnsubscribePage } from './pages/alerts/UnsubscribePage';
import { ApplicationsPage } from './pages/applications/ApplicationsPage';
import { ApplyPage } from './pages/applications/ApplyPage';
import { FollowApplicationPage } from './pages/applications/FollowApplicationPage';
import { SelectionsPage } from './pages/applications/SelectionsPage';
import { SpontaneousPage } from './pages/applications/SpontaneousPage';
import { CompanyListPage } from './pages/CompanyListPage';
import { CompanyPage } from './pages/CompanyPage';
import { CvEditorPage } from './pages/cvs/CvEditorPage';
import { CvListPage } from './pages/cvs/CvListPage';
import { FoldersPage } from './pages/cvs/FoldersPage';
import { ConversationPage } from './pages/messages/ConversationPage';
import { MessagesPage } from './pages/messages/MessagesPage';
import { unreadText } from './pages/messages/messages-format';
import { NewMessagePage } from './pages/messages/NewMessagePage';
import { useUnreadMessages } from './pages/messages/parts';
import { NotFoundPage } from './pages/NotFoundPage';
import { OfferListPage } from './pages/OfferListPage';
import { OfferPage } from './pages/OfferPage';
import { PrescriberListPage } from './pages/PrescriberListPage';
import { AGENDA_PATH, Link, matchRoute, PATHS, type Route, useLocation } from './router';
import { RequireCandidate, SessionProvider, useSession } from './session';

/** The candidate's own pages (signed in only), as the « Mon espace » menu lists them. */
const SPACE_LINKS: { to: string; label: string; routes: Route['name'][] }[] = [
  { to: PATHS.applications, label: 'Mes candidatures', routes: ['applications'] },
  { to: PATHS.messages, label: 'Mes messages', routes: ['messages', 'conversation', 'new-message'] },
  { to: PATHS.cvs, label: 'Mes CV', routes: ['cvs', 'cv', 'folders'] },
  { to: PATHS.selections, label: 'Mes sélections', routes: ['selections'] },
  { to: PATHS.alerts, label: 'Mes alertes', routes: ['alerts'] },
  { to: PATHS.account, label: 'Mon compte', routes: ['account'] },
];

function AccountNav({ route }: { route: Route }) {
  const { session, signOut } = useSession();
  if (session.status === 'loading') return null;
  if (session.status === 'anonymous')
    return (
      <ul className="account-nav">
        <li>
          <Link to={PATHS.login} aria-current={route.name === 'login' ? 'page' : undefined}>
            Se connecter
          </Link>
        </li>
        <li>
          <Link
            to={PATHS.signup}
            className="account-nav__signup"
            aria-current={route.name === 'signup' ? 'page' : undefined}
          >
            Créer un compte
          </Link>
        </li>
      </ul>
    );
  return (
    <ul className="account-nav">
      <li className="account-nav__who">
        {session.user.firstName} {session.user.lastName}
      </li>
      <li>
        <button type="button" className="link-button" onClick={() => void signOut()}>
          Se déconnecter
        </button>
      </li>
    </ul>
  );
}

function CandidatePage({ route }: { route: Route }) {
  switch (route.name) {
    case 'login':
      return <LoginPage search={route.search} />;
    case 'signup':
      return <SignupPage search={route.search} />;
    case 'confirm-email':
      return <ConfirmEmailPage search={route.search} />;
    case 'forgot-password':
      return <ForgotPasswordPage search={route.search} />;
    case 'reset-password':
      return <ResetPasswordPage search={route.search} />;
    case 'follow-application':
      return <FollowApplicationPage search={route.search} />;
    case 'unsubscribe':
      return <UnsubscribePage search={route.search} />;
    case 'apply':
      // Applying without an account is allowed (seed 004): the page asks for what it needs.
      return <ApplyPage key={route.offerId} offerId={route.offerId} search={route.search} />;
    case 'spontaneous':
      return <SpontaneousPage key={route.companyId} companyId={route.companyId} search={route.search} />;
    case 'account':
      return (
        <RequireCandidate>
          <AccountPage section={route.section} search={route.search} />
        </RequireCandidate>
      );
    case 'cvs':
      return (
        <RequireCandidate>
          <CvListPage search={route.search} />
        </RequireCandidate>
      );
    case 'cv':
      return (
        <RequireCandidate>
          <CvEditorPage key={route.id} id={route.id} search={route.search} />
        </RequireCandidate>
      );
    case 'folders':
      return (
        <RequireCandidate>
          <FoldersPage search={route.search} />
        </RequireCandidate>
      );
    case 'applications':
      return (
        <RequireCandidate>
          <ApplicationsPage search={route.search} />
        </RequireCandidate>
      );
    case 'selections':
      return (
        <RequireCandidate>
          <SelectionsPage search={route.search} />
        </RequireCandidate>
      );
    case 'alerts':
      return (
        <RequireCandidate>
          <AlertsPage search={route.search} />
        </RequireCandidate>
      );
    case 'messages':
      return (
        <RequireCandidate>
          <MessagesPage search={route.search} />
        </RequireCandidate>
      );
    case 'new-message':
      return (
        <RequireCandidate>
          <NewMessagePage key={route.search} search={route.search} />
        </RequireCandidate>
      );
    case 'conversation':
      return (
        <RequireCandidate>
          <ConversationPage key={route.id} id={route.id} />
        </RequireCandidate>
      );
    default:
      return null;
  }
}

function SpaceNav({ route, location }: { route: Route; location: string }) {
  const { session } = useSession();
  const candidate = session.status === 'signed-in' && session.user.kind === 'candidate';
  const unread = useUnreadMessages(candidate, location);
  if (!candidate) return null;
  return (
    <nav className="space-nav" aria-label="Mon espace candidat">
      <ul className="container space-nav__list">
        {SPACE_LINKS.map((l) => (
          <li key={l.to}>
            <Link to={l.to} aria-current={l.routes.includes(route.name) ? 'page' : undefined}>
              {l.label}
              {l.to === PATHS.messages && unread ? (
                <span className="space-nav__count">
                  <span aria-hidden="true"> {unread}</span>
                  <span className="visually-hidden"> ({unreadText(unread)})</span>
                </span>
              ) : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Portal />
    </SessionProvider>
  );
}

function Portal() {
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
          <AccountNav route={route} />
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
            <li>
              <Link to={AGENDA_PATH} aria-current={route.name === 'agenda' ? 'page' : undefined}>
                Salons et sessions
              </Link>
            </li>
          </ul>
        </nav>
        <SpaceNav route={route} location={location} />
      </header>
      <main id="contenu" tabIndex={-1} ref={main} className="container site-main">
        {route.name === 'list' && <OfferListPage page={route.page} />}
        {route.name === 'offer' && <OfferPage key={route.id} id={route.id} />}
        {route.name === 'companies' && <CompanyListPage criteria={route.criteria} />}
        {route.name === 'company' && <CompanyPage key={route.id} id={route.id} />}
        {route.name === 'prescribers' && <PrescriberListPage criteria={route.criteria} />}
        {route.name === 'agenda' && <AgendaPage />}
        {route.name === 'not-found' && <NotFoundPage />}
        <CandidatePage route={route} />
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
