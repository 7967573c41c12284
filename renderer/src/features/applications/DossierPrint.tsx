import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { DOSSIER_FOOTER, type DossierBlock } from '../../../../shared/export/applicant-dossier';

/**
 * « Imprimer le dossier » (issue 8): the applicant's dossier, the same blocks as its PDF, printed with
 * the system's dialog (Electron: the native print dialog; a browser: its own). While it prints, the
 * page shows the dossier only (`html.dossier-printing`, applicants.css); the dialog opens on the next
 * frame and `onDone` runs once it closed.
 */
export function DossierPrint({ blocks, onDone }: { blocks: readonly DossierBlock[]; onDone: () => void }) {
  useEffect(() => {
    const root = document.documentElement;
    root.classList.add('dossier-printing');
    const done = () => onDone();
    window.addEventListener('afterprint', done);
    const frame = requestAnimationFrame(() => {
      window.print();
    });
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('afterprint', done);
      root.classList.remove('dossier-printing');
    };
  }, [onDone]);

  return createPortal(
    <article className="dossier-print" data-testid="dossier-print" aria-hidden="true">
      <p className="dossier-print__confidential">{DOSSIER_FOOTER}</p>
      {blocks.map((b, i) => {
        const key = `${i}-${b.kind}`;
        switch (b.kind) {
          case 'heading':
            return b.level === 1 ? (
              <h1 key={key}>{b.text}</h1>
            ) : b.level === 2 ? (
              <h2 key={key}>{b.text}</h2>
            ) : (
              <h3 key={key}>{b.text}</h3>
            );
          case 'paragraph':
            return (
              <p
                key={key}
                className={`pre-line${b.strong ? ' dossier-print__strong' : ''}${b.small ? ' dossier-print__small' : ''}${b.muted ? ' dossier-print__muted' : ''}`}
              >
                {b.text}
              </p>
            );
          case 'item':
            return (
              <p key={key} className={`dossier-print__item${b.strong ? ' dossier-print__strong' : ''}`}>
                • {b.text}
              </p>
            );
          case 'field':
            return (
              <p key={key} className="dossier-print__field">
                <span className="dossier-print__key">{b.key}</span> <span>{b.value}</span>
              </p>
            );
          default:
            return <hr key={key} />;
        }
      })}
      <p className="dossier-print__confidential">{DOSSIER_FOOTER}</p>
    </article>,
    document.body,
  );
}
