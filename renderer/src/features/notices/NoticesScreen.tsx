import { useSession } from '../../app/session-context';
import { plural } from '../../lib/format';
import { NoticeCard } from './NoticeCard';
import { markNoticeRead, useNotices } from './use-notices';

/** « Avis »: what the server told this user (refused changes and why, moderation, information). */
export function NoticesScreen() {
  const { db, navigate } = useSession();
  const notices = useNotices(db);
  const unread = notices?.filter((n) => !n.readAt).length ?? 0;
  return (
    <section aria-labelledby="notices-title">
      <div className="page-header">
        <h1 id="notices-title" tabIndex={-1}>
          Avis
        </h1>
        <p className="muted">
          {unread} {plural(unread, 'avis non lu', 'avis non lus')}
        </p>
      </div>
      {notices === undefined ? (
        <p>Chargement…</p>
      ) : notices.length === 0 ? (
        <div className="empty-state">
          <p>Aucun avis pour le moment.</p>
          <p className="muted">
            Les modifications refusées par le serveur et les décisions de modération apparaîtront ici.
          </p>
        </div>
      ) : (
        <ul className="notice-list">
          {notices.map((n) => (
            <li key={n.id}>
              <NoticeCard
                notice={n}
                onMarkRead={() => void markNoticeRead(db, n.id)}
                onOpenDocument={
                  n.documentId && (n.documentCollection ?? 'offers') === 'offers'
                    ? () => navigate({ name: 'offer-form', offerId: n.documentId })
                    : undefined
                }
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
