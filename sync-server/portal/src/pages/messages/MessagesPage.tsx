/**
 * « Mes messages » (seed 000, issue 7): the candidate's conversations, newest first, unread ones
 * marked (bold and the words « non lu »), search, tick several and « Supprimer » (hidden until a
 * newer message arrives), pagination, and who the candidate may write to.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { DirectoryPagination } from '../../components/DirectoryPagination';
import { Link, navigate } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { errorMessage, Loading } from '../applications/application-ui';
import { type CandidateConversation, messagesApi, messagesChanged } from './messages-api';
import {
  aboutText,
  conversationCount,
  conversationHref,
  formatListDate,
  keepShown,
  messagesListHref,
  NEW_MESSAGE_PATH,
  pageCount,
  parseListSearch,
  SEARCH_MAX_LENGTH,
  toggleSelection,
  unreadText,
} from './messages-format';
import { RulesPanel } from './parts';

export function MessagesPage({ search }: { search: string }) {
  const { q, page } = parseListSearch(search);
  useDocumentTitle(
    q ? `Mes messages : recherche « ${q} »` : page > 1 ? `Mes messages, page ${page}` : 'Mes messages',
  );
  const [state, retry] = useLoad(`messages:${q}:${page}`, (signal) => messagesApi.list(q, page, signal));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string>('');
  const [announce, setAnnounce] = useState('');
  const [busy, setBusy] = useState(false);
  const [query, setQuery] = useState(q);
  const statusRef = useRef<HTMLDivElement>(null);

  useEffect(() => setQuery(q), [q]);
  const shownIds = state.status === 'ready' ? state.data.items.map((c) => c.id) : [];
  const shownKey = shownIds.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the shown list changes.
  useEffect(() => setSelected((s) => keepShown(s, shownIds)), [shownKey]);

  function submitSearch(event: FormEvent) {
    event.preventDefault();
    setAnnounce('');
    setError('');
    navigate(messagesListHref({ q: query, page: 1 }));
  }

  async function hide(event: FormEvent) {
    event.preventDefault();
    setAnnounce('');
    setError('');
    if (selected.size === 0) {
      setError('Cochez au moins une conversation à supprimer.');
      statusRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const { hidden } = await messagesApi.hide([...selected]);
      setSelected(new Set());
      setAnnounce(
        hidden > 1
          ? `${hidden} conversations supprimées de votre liste. Elles reviendront si un nouveau message y arrive.`
          : '1 conversation supprimée de votre liste. Elle reviendra si un nouveau message y arrive.',
      );
      messagesChanged();
      retry();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      statusRef.current?.focus();
    }
  }

  const header = (
    <>
      <h1>Mes messages</h1>
      <p className="messages-actions">
        <Link to={NEW_MESSAGE_PATH} className="button">
          Nouveau message
        </Link>
      </p>
      <search className="messages-search">
        <form onSubmit={submitSearch} className="messages-search__form">
          <div className="field">
            <label htmlFor="recherche-messages">Rechercher dans mes messages</label>
            <p className="field__hint" id="recherche-messages-aide">
              Objet, organisation ou texte des messages.
            </p>
            <input
              id="recherche-messages"
              type="search"
              name="q"
              maxLength={SEARCH_MAX_LENGTH}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              aria-describedby="recherche-messages-aide"
            />
          </div>
          <button type="submit" className="button button--secondary">
            Rechercher
          </button>
          {q && (
            <Link to={messagesListHref({ q: '', page: 1 })} className="messages-search__clear">
              Effacer la recherche
            </Link>
          )}
        </form>
      </search>
      <div tabIndex={-1} ref={statusRef} className="messages-status">
        {error ? (
          <div className="notice notice--error" role="alert">
            <p>{error}</p>
          </div>
        ) : announce ? (
          <p className="notice notice--success" role="status">
            {announce}
          </p>
        ) : null}
      </div>
    </>
  );

  if (state.status === 'loading')
    return (
      <>
        {header}
        <Loading />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        {header}
        <div className="notice notice--error" role="alert">
          <p>{errorMessage(state.error)}</p>
          <button type="button" className="button" onClick={retry}>
            Réessayer
          </button>
        </div>
      </>
    );

  const { items, total, unread } = state.data;
  const pages = pageCount(total);
  const allChecked = items.length > 0 && items.every((c) => selected.has(c.id));

  if (total === 0 && !q)
    return (
      <>
        {header}
        <div className="panel messages-empty">
          <p>Vous n’avez aucun message pour le moment.</p>
          <p>
            Pour écrire à un recruteur, cliquez sur « Nouveau message » : la liste des destinataires possibles
            s’affiche. Les règles ci-dessous disent à qui vous pouvez écrire.
          </p>
        </div>
        <RulesPanel />
      </>
    );

  return (
    <>
      {header}
      {items.length === 0 ? (
        <div className="panel">
          <p>
            {q
              ? `Aucune conversation ne correspond à « ${q} ».`
              : 'Cette page ne contient aucune conversation.'}{' '}
            <Link to={messagesListHref({ q: '', page: 1 })}>Voir tous mes messages</Link>
          </p>
        </div>
      ) : (
        <form onSubmit={hide} aria-labelledby="liste-conversations">
          <h2 id="liste-conversations" className="messages-count">
            {q ? `${conversationCount(total)} pour « ${q} »` : conversationCount(total)}
            {unread > 0 ? ` · ${unreadText(unread)}` : ''}
          </h2>
          <div className="selection-toolbar messages-toolbar">
            <div className="choice">
              <input
                type="checkbox"
                id="conversations-toutes"
                checked={allChecked}
                onChange={(e) => setSelected(e.target.checked ? new Set(items.map((c) => c.id)) : new Set())}
              />
              <label htmlFor="conversations-toutes">Tout cocher ({items.length})</label>
            </div>
            <button type="submit" className="button button--secondary" disabled={busy}>
              Supprimer{selected.size > 0 ? ` (${selected.size})` : ''}
              <span className="visually-hidden"> les conversations cochées</span>
            </button>
          </div>
          <ul className="conversation-list">
            {items.map((c) => (
              <li key={c.id}>
                <ConversationItem
                  conversation={c}
                  checked={selected.has(c.id)}
                  onCheck={(on) => setSelected((s) => toggleSelection(s, c.id, on))}
                />
              </li>
            ))}
          </ul>
        </form>
      )}
      <DirectoryPagination page={page} pageCount={pages} hrefFor={(p) => messagesListHref({ q, page: p })} />
      <RulesPanel />
    </>
  );
}

function ConversationItem({
  conversation: c,
  checked,
  onCheck,
}: {
  conversation: CandidateConversation;
  checked: boolean;
  onCheck: (on: boolean) => void;
}) {
  const titleId = `conversation-${c.id}`;
  const about = aboutText(c);
  const preview = c.lastMessagePreview
    ? `${c.lastMessageFrom === 'candidate' ? 'Vous : ' : ''}${c.lastMessagePreview}`
    : '';
  return (
    <article
      className={`conversation-item${c.unread ? ' conversation-item--unread' : ''}`}
      aria-labelledby={titleId}
    >
      <div className="choice conversation-item__check">
        <input
          type="checkbox"
          id={`cocher-${c.id}`}
          checked={checked}
          onChange={(e) => onCheck(e.target.checked)}
        />
        <label htmlFor={`cocher-${c.id}`}>
          <span className="visually-hidden">Cocher « {c.subject} »</span>
        </label>
      </div>
      <div className="conversation-item__body">
        <div className="conversation-item__head">
          <h3 className="conversation-item__title" id={titleId}>
            <Link to={conversationHref(c.id)}>
              {c.subject}
              {c.unread && <span className="visually-hidden"> (non lu)</span>}
            </Link>
          </h3>
          {c.unread && (
            <span className="unread-badge" aria-hidden="true">
              non lu
            </span>
          )}
        </div>
        <p className="conversation-item__meta">
          <span className="conversation-item__org">{c.organisationName}</span>
          {about && <> · {about}</>}
        </p>
        {preview && <p className="conversation-item__preview">{preview}</p>}
        <p className="conversation-item__date">
          <time dateTime={c.lastMessageAt}>{formatListDate(c.lastMessageAt)}</time>
          {' · '}
          {c.messageCount > 1 ? `${c.messageCount} messages` : '1 message'}
          {c.blockedByCandidate && ' · Vous avez bloqué cette organisation'}
        </p>
      </div>
    </article>
  );
}
