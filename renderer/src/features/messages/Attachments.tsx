import { useState } from 'react';
import type { MessageDoc } from '../../../../shared/schemas/message.schema';
import { useSession } from '../../app/session-context';
import { reportSaveFailure, saveFile } from '../../lib/save-file';
import { PdfViewer } from '../cvtheque/PdfViewer';
import { downloadFile } from '../files/file-api';
import { fileServicesFor } from '../files/files-session';
import { FILE_MISSING_MESSAGE, FILE_OFFLINE_MESSAGE } from '../files/use-file-url';

type Attachment = MessageDoc['attachments'][number];

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} Ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

export const isPdfAttachment = (a: Attachment) => a.mime === 'application/pdf' || /\.pdf$/i.test(a.name);

/** The bytes of an attachment: from this workstation's file store, else downloaded and kept. */
async function loadAttachment(userId: string, sha256: string): Promise<Blob | string> {
  const { store } = fileServicesFor(userId);
  const local = await store.getFile(sha256).catch(() => null);
  if (local) return local.blob;
  const result = await downloadFile(sha256);
  if (result.kind === 'ok') {
    await store
      .putFile({ sha256, blob: result.blob, mime: result.mime, size: result.blob.size, storedAt: Date.now() })
      .catch(() => undefined);
    return result.blob;
  }
  if (result.kind === 'error') return result.message;
  return result.kind === 'offline' ? FILE_OFFLINE_MESSAGE : FILE_MISSING_MESSAGE;
}

function saveBlob(blob: Blob, name: string) {
  void saveFile(blob, name).catch(reportSaveFailure);
}

/** A message's attachments: name, size, download, and PDFs opened in the viewer. */
export function AttachmentList({ attachments }: { attachments: MessageDoc['attachments'] }) {
  const { user } = useSession();
  const [viewing, setViewing] = useState<{ sha256: string; blob: Blob; name: string } | null>(null);
  const [problem, setProblem] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  if (attachments.length === 0) return null;

  async function act(a: Attachment, what: 'download' | 'view') {
    setBusy(a.sha256);
    try {
      const blob = await loadAttachment(user.id, a.sha256);
      if (typeof blob === 'string') {
        setProblem((p) => ({ ...p, [a.sha256]: blob }));
        return;
      }
      setProblem((p) => {
        const { [a.sha256]: _gone, ...rest } = p;
        return rest;
      });
      if (what === 'download') saveBlob(blob, a.name);
      else setViewing({ sha256: a.sha256, blob, name: a.name });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div>
      <ul className="message-attachments" aria-label="Pièces jointes">
        {attachments.map((a) => (
          <li key={a.sha256} className="message-attachment">
            <span className="message-attachment__name">
              {a.name} <span className="muted small">({formatSize(a.size)})</span>
            </span>
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={busy === a.sha256}
              onClick={() => void act(a, 'download')}
            >
              Télécharger <span className="visually-hidden">{a.name}</span>
            </button>
            {isPdfAttachment(a) ? (
              <button
                type="button"
                className="link-button"
                disabled={busy === a.sha256}
                aria-expanded={viewing?.sha256 === a.sha256}
                onClick={() => (viewing?.sha256 === a.sha256 ? setViewing(null) : void act(a, 'view'))}
              >
                {viewing?.sha256 === a.sha256 ? 'Fermer' : 'Ouvrir'}{' '}
                <span className="visually-hidden">{a.name}</span>
              </button>
            ) : null}
            {problem[a.sha256] ? (
              <span className="muted small" role="status">
                {problem[a.sha256]}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {viewing ? (
        <div className="message-attachment__viewer">
          <PdfViewer blob={viewing.blob} fileName={viewing.name} />
        </div>
      ) : null}
    </div>
  );
}
