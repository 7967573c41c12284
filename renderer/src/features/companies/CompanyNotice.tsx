import type { NoticeDoc } from '../../../../shared/schemas';
import { formatDateTime } from '../../lib/format';
import { companyFieldLabel } from './company-model';

const KIND_LABELS: Record<NoticeDoc['kind'], string> = {
  refus: 'Modification refusée',
  conflit: 'Conflit',
  moderation: 'Modération',
  information: 'Information',
};

interface Props {
  notice: NoticeDoc;
  onMarkRead: () => void;
  /** Moves the focus to the control of a field the server named. */
  onFocusField?: (field: string) => void;
}

/**
 * A server notice about a company profile (a refused change and why), shown at the top of the
 * form as the offers form does, with the fields at fault linked to their controls.
 */
export function CompanyNotice({ notice, onMarkRead, onFocusField }: Props) {
  return (
    <article
      className={`notice notice--${notice.kind} notice--compact${notice.readAt ? '' : ' is-unread'}`}
      data-testid="company-notice"
      aria-label={notice.title}
    >
      <header className="notice__header">
        <span className={`tag tag--${notice.kind}`}>{KIND_LABELS[notice.kind]}</span>
        <strong>{notice.title}</strong>
        <span className="notice__date">{formatDateTime(notice.createdAt)}</span>
      </header>
      <p className="notice__message">{notice.message}</p>
      {notice.fields && notice.fields.length > 0 ? (
        <ul className="notice__fields">
          {notice.fields.map((f) => (
            <li key={`${f.field}-${f.message}`}>
              {onFocusField ? (
                <a
                  href={`#${f.field}`}
                  onClick={(e) => {
                    e.preventDefault();
                    onFocusField(f.field);
                  }}
                >
                  <strong>{companyFieldLabel(f.field)}</strong>
                </a>
              ) : (
                <strong>{companyFieldLabel(f.field)}</strong>
              )}{' '}
              : {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {!notice.readAt ? (
        <div className="notice__actions">
          <button type="button" className="button button--small button--secondary" onClick={onMarkRead}>
            Marquer comme lu
          </button>
        </div>
      ) : null}
    </article>
  );
}
