import { memo, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { MESSAGING_KIND_POLICY, MESSAGING_REFUSAL_MESSAGES } from '../../../../shared/domain/messaging';
import type { ConversationDoc } from '../../../../shared/schemas/conversation.schema';
import { useSession, type WriteTarget } from '../../app/session-context';
import { useSyncState } from '../../hooks/use-sync-state';
import { formatDateTime, plural } from '../../lib/format';
import { useNotices } from '../notices/use-notices';
import { ConversationView } from './ConversationView';
import { isUnreadFor, searchTerms, visibleInbox } from './inbox-model';
import { messageTextIndexOf } from './message-text-index';
import {
  hideConversations,
  useConversation,
  useInbox,
  useOutbox,
  useUnreadByOrganisation,
} from './messages-db';
import { NewConversationView } from './NewConversation';
import { askMessagePermission } from './notify';
import { refusedElsewhere } from './outbox';
import { outboxFor } from './outbox-store';
import { RefusedMessages } from './RefusedMessages';
import './messages.css';

/**
 * Rows of the inbox drawn at once (« Afficher les suivantes » adds as many): an inbox of 20,000
 * conversations drawn whole took seconds to open, and as long to open a conversation (every row
 * drawn again).
 */
export const INBOX_PAGE_SIZE = 50;

interface Props {
  conversationId?: string;
  write?: WriteTarget;
}

/** « Mes messages » (issue 7; seed 000): the organisation's inbox, one conversation, the outbox. */
export function MessagesScreen({ conversationId, write }: Props) {
  const session = useSession();
  const { db, user, sync, organisation, navigate, announce, switchOrganisation } = session;
  useSyncState(sync);
  const orgs = user.memberships.filter((m) => m.kind !== 'platform');
  const orgId = organisation?.organisationId ?? null;
  const inbox = useInbox(db, orgId);
  const unread = useUnreadByOrganisation(db, user.id);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [limit, setLimit] = useState(INBOX_PAGE_SIZE);
  const focusRow = useRef<number | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const current = useConversation(db, conversationId ?? null);
  const replicating = sync.isReplicating('conversations');
  const entries = useOutbox(outboxFor(user.id));
  const notices = useNotices(db);
  const orphans = useMemo(
    () =>
      inbox && notices
        ? refusedElsewhere(
            entries.filter((e) => e.organisationId === orgId),
            new Set(inbox.map((c) => c.id)),
            notices,
          )
        : [],
    [entries, inbox, notices, orgId],
  );

  useEffect(() => {
    document.title = 'Mes messages — Poste recruteur';
    titleRef.current?.focus();
    void askMessagePermission();
  }, []);

  // Search in the messages' text (local): an index of this workstation's messages, built in the
  // background from the first search (or the search field's focus), then kept up to date.
  const terms = useMemo(() => searchTerms(query), [query]);
  const searching = terms.length > 0;
  const textIndex = useMemo(() => messageTextIndexOf(db), [db]);
  const textState = useSyncExternalStore(
    useCallback((listener: () => void) => textIndex.subscribe(listener), [textIndex]),
    () => textIndex.getState(),
  );
  useEffect(() => {
    if (searching) textIndex.start();
  }, [searching, textIndex]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `textState` changes as the index fills
  const shown = useMemo(
    () => visibleInbox(inbox ?? [], user.id, terms, searching ? textIndex : undefined),
    [inbox, user.id, terms, searching, textIndex, textState],
  );
  const hiddenCount = useMemo(
    () =>
      (inbox?.length ?? 0) - (terms.length === 0 ? shown.length : visibleInbox(inbox ?? [], user.id).length),
    [inbox, user.id, terms.length, shown],
  );
  // A new search or another organisation starts again from the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the query or the organisation changes
  useEffect(() => setLimit(INBOX_PAGE_SIZE), [query, orgId]);
  const rows = useMemo(() => shown.slice(0, limit), [shown, limit]);
  // Keyboard users land on the first row just added by « Afficher les suivantes ».
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once the added rows are drawn
  useEffect(() => {
    const at = focusRow.current;
    if (at === null) return;
    focusRow.current = null;
    listRef.current?.querySelectorAll<HTMLButtonElement>('[data-row-open]')[at]?.focus();
  }, [rows]);

  const openRow = useCallback((id: string) => navigate({ name: 'messages', conversationId: id }), [navigate]);
  const toggleRow = useCallback(
    (id: string, on: boolean) =>
      setSelected((s) => {
        const next = new Set(s);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );

  async function hideSelected() {
    const ids = [...selected];
    if (ids.length === 0) return;
    const n = await hideConversations(db, ids, user.id);
    setSelected(new Set());
    announce(
      `${n} ${plural(n, 'conversation supprimée', 'conversations supprimées')} de votre boîte (elle${n > 1 ? 's' : ''} reviendr${n > 1 ? 'ont' : 'a'} si le candidat écrit à nouveau).`,
    );
    if (conversationId && ids.includes(conversationId)) navigate({ name: 'messages' });
  }

  function onListKey(e: React.KeyboardEvent<HTMLUListElement>) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('[data-row-open]') ?? [])];
    if (buttons.length === 0) return;
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    let next = at;
    if (e.key === 'ArrowDown') next = at < 0 ? 0 : Math.min(buttons.length - 1, at + 1);
    if (e.key === 'ArrowUp') next = at < 0 ? 0 : Math.max(0, at - 1);
    if (e.key === 'Home') next = 0;
    if (e.key === 'End') next = buttons.length - 1;
    e.preventDefault();
    buttons[next]?.focus();
  }

  const total = shown.length;
  return (
    <div className="messages">
      <h1 ref={titleRef} tabIndex={-1}>
        Mes messages
      </h1>
      {organisation && MESSAGING_KIND_POLICY[organisation.kind] !== 'rules' ? (
        <p className="alert alert--info" role="status">
          {MESSAGING_REFUSAL_MESSAGES['messaging-not-offered'].organisation}
        </p>
      ) : null}
      {!replicating ? (
        <p className="alert alert--info" role="status">
          La messagerie n’est pas encore synchronisée avec le serveur (serveur injoignable ou trop ancien) :
          les messages écrits ici seront envoyés dès qu’il la proposera.
        </p>
      ) : null}
      {orgs.length > 1 ? (
        <nav className="messages__orgs" aria-label="Messages par organisation">
          <ul>
            {orgs.map((m) => {
              const n = unread.get(m.organisationId) ?? 0;
              const isCurrent = m.organisationId === orgId;
              return (
                <li key={m.organisationId}>
                  <button
                    type="button"
                    className={`messages__org${isCurrent ? ' is-active' : ''}`}
                    aria-current={isCurrent ? 'true' : undefined}
                    onClick={() => {
                      switchOrganisation(m.organisationId);
                      navigate({ name: 'messages' });
                    }}
                    data-testid="messages-org"
                  >
                    {m.organisationName}
                    {n > 0 ? (
                      <span className="badge">
                        {n}
                        <span className="visually-hidden"> {plural(n, 'non lue', 'non lues')}</span>
                      </span>
                    ) : null}
                  </button>
                </li>
              );
            })}
          </ul>
        </nav>
      ) : null}

      {orphans.length > 0 ? (
        <section aria-labelledby="refused-title" className="messages__refused">
          <h2 id="refused-title">Messages non envoyés</h2>
          <RefusedMessages items={orphans} />
        </section>
      ) : null}

      <div className={`messages__layout${conversationId || write ? ' has-conversation' : ''}`}>
        <section className="messages__inbox" aria-labelledby="inbox-title">
          <h2 id="inbox-title">
            Boîte de réception
            {orgId && (unread.get(orgId) ?? 0) > 0 ? (
              <span className="muted small" data-testid="inbox-unread">
                {' '}
                · {unread.get(orgId)} {plural(unread.get(orgId) ?? 0, 'non lue', 'non lues')}
              </span>
            ) : null}
          </h2>
          <search className="messages__search">
            <label htmlFor="messages-search">Rechercher dans mes messages</label>
            <input
              id="messages-search"
              type="search"
              value={query}
              maxLength={200}
              aria-describedby="messages-search-hint"
              onChange={(e) => setQuery(e.target.value)}
              onFocus={() => textIndex.start()}
            />
            <p className="field__hint" id="messages-search-hint">
              Objet, candidat ou texte des messages (sur ce poste, même hors ligne).
            </p>
            {searching && !textState.ready ? (
              <p className="muted small" role="status" data-testid="messages-search-progress">
                Recherche dans le texte des messages en cours de préparation :{' '}
                {textState.loaded.toLocaleString('fr-FR')}{' '}
                {plural(textState.loaded, 'message lu', 'messages lus')}… Les conversations trouvées par leur
                objet ou leur candidat sont déjà affichées.
              </p>
            ) : null}
          </search>
          <p className="visually-hidden" role="status" aria-live="polite">
            {terms.length > 0
              ? `${total} ${plural(total, 'conversation trouvée', 'conversations trouvées')}`
              : ''}
          </p>
          {inbox === undefined ? <p aria-busy="true">Chargement…</p> : null}
          {inbox !== undefined && total === 0 ? (
            <p className="messages__empty" data-testid="inbox-empty">
              {terms.length > 0
                ? `Aucune conversation ne correspond à « ${query.trim()} ».`
                : (inbox?.length ?? 0) > 0
                  ? 'Vous avez supprimé toutes vos conversations : elles reviendront si le candidat écrit à nouveau.'
                  : 'Aucun message pour le moment. Pour écrire à un candidat, ouvrez sa candidature dans « Mes candidats » ou son CV dans la CVthèque, puis choisissez « Écrire ».'}
            </p>
          ) : null}
          {total > 0 ? (
            <>
              <p className="field__hint" id="inbox-keys">
                Flèches haut et bas : parcourir · Entrée : ouvrir
              </p>
              <ul
                className="inbox"
                ref={listRef}
                onKeyDown={onListKey}
                aria-describedby="inbox-keys"
                data-testid="inbox"
              >
                {rows.map((c) => (
                  <InboxRow
                    key={c.id}
                    conversation={c}
                    unread={isUnreadFor(c, user.id)}
                    open={c.id === conversationId}
                    checked={selected.has(c.id)}
                    onToggle={toggleRow}
                    onOpen={openRow}
                  />
                ))}
              </ul>
              {total > rows.length ? (
                <div className="inbox__more">
                  <p className="muted small" data-testid="inbox-shown">
                    {rows.length} conversations affichées sur {total}.
                  </p>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => {
                      focusRow.current = rows.length;
                      setLimit((l) => l + INBOX_PAGE_SIZE);
                    }}
                    data-testid="inbox-more"
                  >
                    Afficher les {Math.min(INBOX_PAGE_SIZE, total - rows.length)} suivantes
                  </button>
                </div>
              ) : null}
              <div className="form-actions">
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={selected.size === 0}
                  onClick={() => void hideSelected()}
                  data-testid="inbox-delete"
                >
                  Supprimer{selected.size > 0 ? ` (${selected.size})` : ''}
                </button>
              </div>
            </>
          ) : null}
          {hiddenCount > 0 && terms.length === 0 && total > 0 ? (
            <p className="muted small">
              {hiddenCount} {plural(hiddenCount, 'conversation supprimée', 'conversations supprimées')} de
              votre boîte.
            </p>
          ) : null}
        </section>

        <div className="messages__conversation">
          {write && !conversationId ? (
            <NewConversationView
              key={`${write.aboutKind}:${write.aboutId}`}
              target={write}
              onOpen={(id) => navigate({ name: 'messages', conversationId: id })}
            />
          ) : null}
          {conversationId && current ? <ConversationView key={current.id} conversation={current} /> : null}
          {conversationId && current === null ? (
            <p className="alert alert--info" role="status">
              Cette conversation n’est pas (ou plus) sur ce poste.
            </p>
          ) : null}
          {!conversationId && !write ? (
            <p className="muted messages__placeholder">
              Choisissez une conversation dans la liste pour la lire.
            </p>
          ) : null}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  conversation: ConversationDoc;
  unread: boolean;
  open: boolean;
  checked: boolean;
  onToggle: (id: string, on: boolean) => void;
  onOpen: (id: string) => void;
}

/**
 * One row of the inbox, drawn again only when it changes: opening a conversation, or a message
 * arriving, no longer draws every row again.
 */
const InboxRow = memo(function InboxRow({
  conversation: c,
  unread,
  open,
  checked,
  onToggle,
  onOpen,
}: RowProps) {
  return (
    <li
      className={`inbox__row${unread ? ' is-unread' : ''}${open ? ' is-open' : ''}`}
      data-testid="inbox-row"
    >
      <input
        type="checkbox"
        id={`select-${c.id}`}
        checked={checked}
        onChange={(e) => onToggle(c.id, e.target.checked)}
      />
      <label htmlFor={`select-${c.id}`} className="visually-hidden">
        Sélectionner la conversation « {c.subject} » avec {c.candidateName}
      </label>
      <button
        type="button"
        className="inbox__open"
        data-row-open
        aria-current={open ? 'true' : undefined}
        onClick={() => onOpen(c.id)}
      >
        <span className="inbox__who">
          {unread ? <span className="inbox__unread">Non lu · </span> : null}
          {c.candidateName || 'Candidat'}
        </span>
        <span className="inbox__subject">{c.subject}</span>
        {c.lastMessagePreview ? (
          <span className="inbox__preview">
            {c.lastMessageFrom === 'organisation' ? 'Vous : ' : ''}
            {c.lastMessagePreview}
          </span>
        ) : null}
        <time className="inbox__date" dateTime={c.lastMessageAt}>
          {formatDateTime(c.lastMessageAt)}
        </time>
      </button>
    </li>
  );
});
