import type { NoticeDoc } from '../../../../shared/schemas';
import { formatDateTime } from '../../lib/format';
import { OFFER_FIELD_LABELS } from '../offers/offer-model';

const KIND_LABELS: Record<NoticeDoc['kind'], string> = {
  refus: 'Modification refusée',
  conflit: 'Conflit',
  moderation: 'Modération',
  information: 'Information',
};

interface Props {
  notice: NoticeDoc;
  onMarkRead?: () => void;
  onOpenDocument?: () => void;
  compact?: boolean;
}

/** One server notice: title, message and the fields at fault. */
export function NoticeCard({ notice, onMarkRead, onOpenDocument, compact }: Props) {
  const unread = !notice.readAt;
  return (
    <article
      className={`notice notice--${notice.kind}${unread ? ' is-unread' : ''}${compact ? ' notice--compact' : ''}`}
      data-testid="notice"
      aria-label={notice.title}
    >
      <header className="notice__header">
        <span className={`tag tag--${notice.kind}`}>{KIND_LABELS[notice.kind]}</span>
        {compact ? <strong>{notice.title}</strong> : <h2 className="notice__title">{notice.title}</h2>}
        {!compact ? <span className="notice__date">{formatDateTime(notice.createdAt)}</span> : null}
        {unread && !compact ? <span className="visually-hidden">(non lu)</span> : null}
      </header>
      <p className="notice__message">{notice.message}</p>
      {notice.fields && notice.fields.length > 0 ? (
        <ul className="notice__fields">
          {notice.fields.map((f) => (
            <li key={`${f.field}-${f.message}`}>
              <strong>{OFFER_FIELD_LABELS[f.field] ?? f.field}</strong> : {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onMarkRead || onOpenDocument ? (
        <div className="notice__actions">
          {onOpenDocument ? (
            <button type="button" className="button button--small" onClick={onOpenDocument}>
              Voir l’offre
            </button>
          ) : null}
          {onMarkRead && unread ? (
            <button type="button" className="button button--small button--secondary" onClick={onMarkRead}>
              Marquer comme lu
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
