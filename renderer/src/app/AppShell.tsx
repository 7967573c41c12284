import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Membership, SessionUser } from '../../../shared/domain/account';
import { MESSAGING_KIND_POLICY } from '../../../shared/domain/messaging';
import { SyncStatus } from '../components/SyncStatus';
import type { WorkstationDatabase } from '../db/collections';
import type { SyncController } from '../db/replication';
import { AccountScreen } from '../features/account/AccountScreen';
import { ApplicantsScreen } from '../features/applications/ApplicantsScreen';
import { CompaniesScreen } from '../features/companies/CompaniesScreen';
import { CompanyFormScreen } from '../features/companies/CompanyFormScreen';
import { systemNotifier, watchSearchAlerts } from '../features/cvtheque/alert-notifications';
import { CvDetailScreen } from '../features/cvtheque/CvDetailScreen';
import { CvListsScreen } from '../features/cvtheque/CvListsScreen';
import { CvthequeScreen } from '../features/cvtheque/CvthequeScreen';
import { clearCvthequeMemory } from '../features/cvtheque/cvtheque-state';
import { CaptureScreen } from '../features/fair/CaptureScreen';
import { EventFormScreen } from '../features/fair/EventFormScreen';
import { EventScreen } from '../features/fair/EventScreen';
import { EventsScreen } from '../features/fair/EventsScreen';
import { organisationToOpen } from '../features/messages/conversation-organisation';
import { MessagesScreen } from '../features/messages/MessagesScreen';
import { useUnreadMessageCount } from '../features/messages/messages-db';
import { systemMessageNotifier, watchNewMessages } from '../features/messages/notify';
import { outboxFor, watchOutbox } from '../features/messages/outbox-store';
import { CompanyGroupsScreen } from '../features/moderation/CompanyGroupsScreen';
import { ModerationScreen } from '../features/moderation/ModerationScreen';
import { ReportedConversationsScreen } from '../features/moderation/ReportedConversationsScreen';
import { NoticesScreen } from '../features/notices/NoticesScreen';
import { useUnreadNoticeCount } from '../features/notices/use-notices';
import { OfferFormScreen } from '../features/offers/OfferFormScreen';
import { OffersScreen } from '../features/offers/OffersScreen';
import { CreateOrganisationScreen } from '../features/organisations/CreateOrganisationScreen';
import { EmailChangeScreen, InvitationScreen } from '../features/organisations/InvitationScreens';
import { OrganisationScreen } from '../features/organisations/OrganisationScreen';
import { OrganisationSwitcher } from '../features/organisations/OrganisationSwitcher';
import { readPendingLink } from '../features/organisations/pending-link';
import { VerificationQueueScreen } from '../features/organisations/VerificationQueueScreen';
import { SpouseSearchesScreen } from '../features/spouse/SpouseSearchesScreen';
import { SpouseSearchScreen } from '../features/spouse/SpouseSearchScreen';
import { UpdateBanner } from '../features/updates/UpdateBanner';
import { useSyncState } from '../hooks/use-sync-state';
import { apiFetch } from '../lib/api';
import { getBridge } from '../lib/bridge';
import { loadUserRecord, saveLastUser, saveUserRecord } from '../lib/local-store';
import { announcementTimeLeft, dismissesAnnouncement, nextAnnouncement } from './announcement';
import { viewForNavigation } from './desktop-navigation';
import { type Session, SessionContext, type View } from './session-context';
import { viewAfterSwitch } from './view-after-switch';
import './announcement.css';

interface Props {
  user: SessionUser;
  db: WorkstationDatabase;
  sync: SyncController;
  offlineStart: boolean;
  onSignOut: (options?: { wipe?: boolean }) => Promise<void>;
}

function recruiterMemberships(user: SessionUser): Membership[] {
  return user.memberships.filter((m) => m.kind !== 'platform');
}

export function AppShell({ user: signedInUser, db, sync, offlineStart, onSignOut }: Props) {
  // The signed-in user as the server last described it (memberships change while signed in).
  const [user, setUser] = useState<SessionUser>(signedInUser);
  const orgs = useMemo(() => recruiterMemberships(user), [user]);
  const isModerator = user.memberships.some((m) => m.kind === 'platform');
  const [orgId, setOrgId] = useState<string | null>(() => {
    const saved = loadUserRecord<string>(user.id, 'organisation');
    return orgs.find((o) => o.organisationId === saved)?.organisationId ?? orgs[0]?.organisationId ?? null;
  });
  const organisation = orgs.find((o) => o.organisationId === orgId) ?? orgs[0] ?? null;
  const [view, setView] = useState<View>(() => {
    const link = readPendingLink();
    if (link)
      return link.kind === 'invitation'
        ? { name: 'invitation', token: link.token }
        : { name: 'email-change', token: link.token };
    return orgs.length === 0 && isModerator ? { name: 'moderation' } : { name: 'offers' };
  });
  const [announcement, dispatchAnnouncement] = useReducer(nextAnnouncement, null);
  const [signingOut, setSigningOut] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const unread = useUnreadNoticeCount(db);
  const orgIds = useMemo(() => orgs.map((o) => o.organisationId), [orgs]);
  const unreadMessages = useUnreadMessageCount(db, user.id, orgIds);
  const { pending: pendingChanges } = useSyncState(sync);

  // Desktop: the dock or taskbar badge and the tray follow the unread messages and pending changes.
  useEffect(() => {
    void getBridge()
      ?.setAttention?.({ unreadMessages, pendingChanges })
      .catch(() => undefined);
  }, [unreadMessages, pendingChanges]);

  const navigate = useCallback((next: View) => {
    setView(next);
    // The announcement about the former screen goes (unless this navigation just made it).
    dispatchAnnouncement({ type: 'navigate', at: Date.now() });
    // Move focus to the new page so keyboard and screen-reader users land on it.
    requestAnimationFrame(() => {
      const heading = mainRef.current?.querySelector<HTMLElement>('h1');
      heading?.focus();
    });
  }, []);

  const announce = useCallback((message: string) => {
    const at = Date.now();
    // Emptied first, so that the same message said twice is read twice.
    dispatchAnnouncement({ type: 'dismiss' });
    requestAnimationFrame(() => dispatchAnnouncement({ type: 'announce', message, at }));
  }, []);

  const dismissAnnouncement = useCallback(() => {
    dispatchAnnouncement({ type: 'dismiss' });
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, []);

  // The CVthèque's results and criteria stay in memory while the session lasts, not after it.
  useEffect(() => () => clearCvthequeMemory(), []);

  // Alerts of favourite CV searches also appear as desktop notifications (native in Electron).
  useEffect(
    () => watchSearchAlerts(db.notices.insert$, systemNotifier(), () => navigate({ name: 'notices' })),
    [db, navigate],
  );

  // Issue 7: new candidate messages as desktop notifications while the window is hidden; the
  // outbox follows what the server accepted or refused.
  useEffect(
    () =>
      watchNewMessages(db.messages.insert$, user.id, systemMessageNotifier(), (conversationId) =>
        navigate(conversationId ? { name: 'messages', conversationId } : { name: 'messages' }),
      ),
    [db, user.id, navigate],
  );
  useEffect(() => watchOutbox(db, sync, outboxFor(user.id)), [db, sync, user.id]);

  // Desktop: the application menu, `recrutement://offre/<numéro>` links and notifications open screens.
  useEffect(() => {
    const subscribe = getBridge()?.onNavigate;
    if (!subscribe) return;
    return subscribe((navigation) => {
      void viewForNavigation(navigation, async (number) => {
        const offer = await db.offers.findOne({ selector: { number } }).exec();
        return offer?.id ?? null;
      }).then((result) => {
        if ('view' in result) navigate(result.view);
        else announce(result.message);
      });
    });
  }, [db, navigate, announce]);

  useEffect(() => {
    if (!announcement) return;
    const { at } = announcement;
    const t = setTimeout(
      () => dispatchAnnouncement({ type: 'expire', at }),
      announcementTimeLeft(announcement, Date.now()),
    );
    // Escape dismisses it (unless a dialog or a field used the key).
    const onKey = (e: KeyboardEvent) => {
      const insideDialog = e.target instanceof Element && !!e.target.closest('dialog, [role="dialog"]');
      if (dismissesAnnouncement({ key: e.key, defaultPrevented: e.defaultPrevented, insideDialog }))
        dispatchAnnouncement({ type: 'dismiss' });
    };
    document.addEventListener('keydown', onKey);
    return () => {
      clearTimeout(t);
      document.removeEventListener('keydown', onKey);
    };
  }, [announcement]);

  const refreshUser = useCallback(async () => {
    const { user: fresh } = await apiFetch<{ user: SessionUser }>('/api/auth/me');
    setUser(fresh);
    saveLastUser(fresh);
    // The server now sends this user the documents of their new organisations (and tombstones for
    // the ones they left): pull now rather than waiting for the next change.
    sync.resync();
  }, [sync]);

  const switchOrganisation = useCallback(
    (organisationId: string) => {
      setOrgId(organisationId);
      saveUserRecord(user.id, 'organisation', organisationId);
    },
    [user.id],
  );

  // Issue 7: a conversation of another of my organisations (a notification clicked while another
  // is selected) opens in its own organisation: the switcher follows it, as a switch by hand would.
  const openedConversationId = view.name === 'messages' ? view.conversationId : undefined;
  const currentOrgId = organisation?.organisationId ?? null;
  useEffect(() => {
    if (!openedConversationId) return;
    const sub = db.conversations.findOne(openedConversationId).$.subscribe((doc) => {
      const target = doc ? organisationToOpen(doc, user, currentOrgId) : null;
      if (!target) return;
      switchOrganisation(target.organisationId);
      announce(`Organisation courante : ${target.organisationName}.`);
    });
    return () => sub.unsubscribe();
  }, [db, openedConversationId, user, currentOrgId, switchOrganisation, announce]);

  const session: Session = useMemo(
    () => ({
      user,
      db,
      sync,
      organisation,
      announce,
      navigate,
      refreshUser,
      switchOrganisation,
      signOut: onSignOut,
    }),
    [user, db, sync, organisation, announce, navigate, refreshUser, switchOrganisation, onSignOut],
  );

  /** A menu entry: current on its own screen, highlighted on the screens it leads to (`also`). */
  const navItem = (
    target: View['name'],
    label: string,
    extra?: React.ReactNode,
    also?: (v: View) => boolean,
  ) => (
    <li>
      <button
        type="button"
        className={`nav__item${view.name === target || also?.(view) ? ' is-active' : ''}`}
        aria-current={view.name === target ? 'page' : undefined}
        onClick={() => navigate({ name: target } as View)}
      >
        {label}
        {extra}
      </button>
    </li>
  );

  return (
    <SessionContext.Provider value={session}>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <div className="shell">
        <header className="topbar">
          <div className="topbar__brand">
            <span className="brand">Emploi Territoires</span>
            <span className="topbar__space">Espace recruteur</span>
          </div>
          <SyncStatus sync={sync} />
          <div className="topbar__user">
            <button
              type="button"
              className="bell"
              onClick={() => navigate({ name: 'notices' })}
              aria-label={`Avis${unread > 0 ? ` (${unread} non ${unread > 1 ? 'lus' : 'lu'})` : ''}`}
              data-testid="notices-button"
            >
              <svg
                className="bell__icon"
                viewBox="0 0 24 24"
                width="16"
                height="16"
                aria-hidden="true"
                focusable="false"
              >
                <path
                  fill="currentColor"
                  d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
                />
              </svg>
              <span aria-hidden="true">Avis</span>
              {unread > 0 ? (
                <span className="badge" aria-hidden="true" data-testid="unread-count">
                  {unread}
                </span>
              ) : null}
            </button>
            <span className="topbar__name" data-testid="current-user">
              {user.firstName} {user.lastName}
            </span>
          </div>
        </header>
        <UpdateBanner sync={sync} />
        {offlineStart ? (
          <div className="banner banner--info" role="status">
            Ouvert hors ligne : vous travaillez sur les données de ce poste. Elles seront synchronisées dès
            que le serveur sera joignable.
          </div>
        ) : null}
        <div className="shell__body">
          <nav className="nav" aria-label="Menu principal">
            <OrganisationSwitcher
              memberships={orgs}
              currentId={organisation?.organisationId ?? null}
              onSwitch={(id) => {
                switchOrganisation(id);
                const name = orgs.find((o) => o.organisationId === id)?.organisationName;
                if (name) announce(`Organisation courante : ${name}.`);
                // Screens of another organisation's document make no sense after a switch.
                const next = viewAfterSwitch(view);
                if (next !== view) navigate(next);
              }}
            />
            <ul>
              {organisation?.kind === 'employer' || organisation?.kind === 'agency'
                ? navItem(
                    'companies',
                    organisation.kind === 'agency' ? 'Entreprises clientes' : 'Ma fiche entreprise',
                    null,
                    (v) => v.name === 'company-form',
                  )
                : null}
              {orgs.length > 0 ? navItem('offers', 'Mes offres') : null}
              {orgs.length > 0 ? navItem('offer-form', 'Publier une offre') : null}
              {orgs.length > 0 ? navItem('applicants', 'Mes candidats') : null}
              {orgs.length > 0
                ? navItem('events', 'Salons et sessions', null, (v) =>
                    ['event', 'event-form', 'capture'].includes(v.name),
                  )
                : null}
              {orgs.length > 0
                ? navItem('cvtheque', 'CVthèque', null, (v) => v.name === 'cv' && v.from !== 'cv-lists')
                : null}
              {orgs.length > 0
                ? navItem(
                    'cv-lists',
                    'Mes listes de CV',
                    null,
                    (v) => v.name === 'cv' && v.from === 'cv-lists',
                  )
                : null}
              {orgs.some((m) => m.kind === 'employer' || m.kind === 'agency')
                ? navItem(
                    'spouse-searches',
                    'Rapprochements de conjoints',
                    null,
                    (v) => v.name === 'spouse-search',
                  )
                : null}
              {orgs.some((m) => MESSAGING_KIND_POLICY[m.kind] === 'rules')
                ? navItem(
                    'messages',
                    'Mes messages',
                    unreadMessages > 0 ? (
                      <span className="badge badge--nav" data-testid="messages-unread">
                        {unreadMessages}
                        <span className="visually-hidden">
                          {' '}
                          {unreadMessages > 1 ? 'conversations non lues' : 'conversation non lue'}
                        </span>
                      </span>
                    ) : null,
                  )
                : null}
              {navItem(
                'notices',
                'Avis',
                unread > 0 ? (
                  <span className="badge badge--nav">
                    {unread}
                    <span className="visually-hidden"> non {unread > 1 ? 'lus' : 'lu'}</span>
                  </span>
                ) : null,
              )}
              {isModerator ? navItem('moderation', 'Modération') : null}
              {isModerator ? navItem('company-groups', 'Groupes et réseaux') : null}
              {isModerator ? navItem('reported-conversations', 'Conversations signalées') : null}
              {isModerator ? navItem('organisation-verification', 'Vérification des organisations') : null}
              {orgs.length > 0 || !isModerator ? navItem('organisation', 'Mon organisation') : null}
              {navItem('account', 'Mes paramètres')}
              <li>
                <button
                  type="button"
                  className="nav__item nav__item--signout"
                  disabled={signingOut}
                  onClick={async () => {
                    setSigningOut(true);
                    await onSignOut();
                  }}
                >
                  Me déconnecter
                </button>
              </li>
            </ul>
          </nav>
          <main className="content" id="contenu" ref={mainRef}>
            {view.name === 'offers' ? <OffersScreen /> : null}
            {view.name === 'offer-form' ? (
              <OfferFormScreen
                key={view.offerId ?? 'new'}
                offerId={view.offerId}
                submitOnOpen={view.submitOnOpen}
              />
            ) : null}
            {view.name === 'notices' ? <NoticesScreen /> : null}
            {view.name === 'moderation' ? <ModerationScreen /> : null}
            {view.name === 'company-groups' ? <CompanyGroupsScreen /> : null}
            {view.name === 'reported-conversations' ? <ReportedConversationsScreen /> : null}
            {view.name === 'companies' ? <CompaniesScreen /> : null}
            {view.name === 'company-form' ? (
              <CompanyFormScreen key={view.companyId ?? 'new'} companyId={view.companyId} />
            ) : null}
            {view.name === 'organisation' ? (
              <OrganisationScreen key={organisation?.organisationId ?? 'none'} />
            ) : null}
            {view.name === 'organisation-create' ? (
              <CreateOrganisationScreen key={view.parentId ?? 'new'} parentId={view.parentId} />
            ) : null}
            {view.name === 'organisation-verification' ? <VerificationQueueScreen /> : null}
            {view.name === 'account' ? <AccountScreen /> : null}
            {view.name === 'cvtheque' ? (
              <CvthequeScreen key={organisation?.organisationId ?? 'none'} />
            ) : null}
            {view.name === 'cv' ? (
              <CvDetailScreen key={view.cvId} cvId={view.cvId} from={view.from} listId={view.listId} />
            ) : null}
            {view.name === 'cv-lists' ? <CvListsScreen listId={view.listId} /> : null}
            {view.name === 'applicants' ? (
              <ApplicantsScreen
                key={`${organisation?.organisationId ?? 'none'}:${view.offerId ?? 'all'}`}
                offerId={view.offerId}
                applicationId={view.applicationId}
              />
            ) : null}
            {view.name === 'spouse-search' ? (
              <SpouseSearchScreen key={view.applicationId} applicationId={view.applicationId} />
            ) : null}
            {view.name === 'spouse-searches' ? <SpouseSearchesScreen /> : null}
            {view.name === 'messages' ? (
              <MessagesScreen
                key={organisation?.organisationId ?? 'none'}
                conversationId={view.conversationId}
                write={view.write}
              />
            ) : null}
            {view.name === 'capture' ? (
              <CaptureScreen key={view.eventId ?? 'none'} eventId={view.eventId} />
            ) : null}
            {view.name === 'events' ? <EventsScreen key={organisation?.organisationId ?? 'none'} /> : null}
            {view.name === 'event' ? <EventScreen key={view.eventId} eventId={view.eventId} /> : null}
            {view.name === 'event-form' ? (
              <EventFormScreen
                key={view.eventId ?? 'new'}
                eventId={view.eventId}
                kind={view.kind}
                offerId={view.offerId}
              />
            ) : null}
            {view.name === 'invitation' ? <InvitationScreen token={view.token} /> : null}
            {view.name === 'email-change' ? <EmailChangeScreen token={view.token} /> : null}
          </main>
        </div>
        <div className={`announcement${announcement ? ' announcement--shown' : ''}`}>
          {/* The live region stays in the page (screen readers only read changes to a region they know). */}
          <div className="announcement__text" role="status" aria-live="polite" data-testid="announcement">
            {announcement?.message ?? ''}
          </div>
          {announcement ? (
            <button
              type="button"
              className="announcement__close"
              aria-label="Fermer le message"
              title="Fermer le message (Échap)"
              onClick={dismissAnnouncement}
            >
              <span aria-hidden="true">×</span>
            </button>
          ) : null}
        </div>
      </div>
    </SessionContext.Provider>
  );
}
