import { useSession } from '../../app/session-context';
import { formatDateTime } from '../../lib/format';
import type { OutboxEntry } from './outbox';
import { outboxFor } from './outbox-store';

/**
 * Messages the server refused (its tombstone and a notice): never lost silently. The notice's reason,
 * and the text kept on this workstation to copy (issue 7).
 */
export function RefusedMessages({ items }: { items: readonly { entry: OutboxEntry; reason: string }[] }) {
  const { user, announce } = useSession();
  const outbox = outboxFor(user.id);
  return items.map(({ entry, reason }) => (
    <div
      key={entry.id}
      className="alert alert--error message-refused"
      role="alert"
      data-testid="message-refused"
    >
      <p>
        <strong>Message non envoyé</strong>
        {entry.subject ? ` (« ${entry.subject} »)` : ''}, écrit le {formatDateTime(entry.writtenAt)} :{' '}
        {reason}
      </p>
      <label htmlFor={`refused-${entry.id}`}>Texte de votre message, à copier</label>
      <textarea id={`refused-${entry.id}`} readOnly rows={4} value={entry.body} />
      <div className="form-actions">
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => {
            void navigator.clipboard
              ?.writeText(entry.body)
              .then(() => announce('Texte du message copié.'))
              .catch(() => announce('Copie impossible : sélectionnez le texte et copiez-le (Ctrl+C).'));
          }}
        >
          Copier le texte
        </button>
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => outbox.dismiss(entry.id)}
        >
          J’ai copié mon texte : retirer ce message
        </button>
      </div>
    </div>
  ));
}
