import { type ChangeEvent, useId, useRef, useState } from 'react';
import { FILE_PURPOSES, type FilePurpose, type FilePurposeRule } from '../../../../shared/domain/files';
import { useSession } from '../../app/session-context';
import { fileServicesFor, keepAndQueue } from './files-session';
import { prepareFile } from './prepare-file';
import { useFileUrl } from './use-file-url';
import './files.css';

export type ImagePurpose = Extract<FilePurpose, 'logo' | 'banner' | 'photo'>;

interface ImagePickerProps {
  /** Base id of the controls (the hidden file input gets `${id}-input`). */
  id?: string;
  label: string;
  purpose: ImagePurpose;
  /** The SHA-256 of the current image, or none. */
  value: string | null | undefined;
  /**
   * Called with the new image's hash once it is kept on this workstation and queued for upload
   * (the document can be saved at once, even offline), or with null when the image is removed.
   */
  onChange: (hash: string | null) => void;
  /** Replaces the purpose's rule under the label. */
  hint?: string;
  disabled?: boolean;
  /** A refusal from the form (e.g. the server's), shown like the picker's own errors. */
  error?: string;
}

/**
 * Chooses an image (logo, banner, photo): a labelled group with the current image, a real file
 * input behind the "Choisir une image…" button, the same checks as the server (size, type by
 * content) with French errors, and "Retirer l’image". Everything is reachable with the keyboard.
 */
export function ImagePicker({
  id,
  label,
  purpose,
  value,
  onChange,
  hint,
  disabled,
  error,
}: ImagePickerProps) {
  const generated = useId();
  const base = id ?? `image-${generated.replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const { user, announce } = useSession();
  const rule: FilePurposeRule = FILE_PURPOSES[purpose];
  const inputRef = useRef<HTMLInputElement>(null);
  const chooseRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [ownError, setOwnError] = useState<string | null>(null);
  const preview = useFileUrl(value);

  const hintId = `${base}-hint`;
  const errorId = `${base}-error`;
  const shownError = ownError ?? error ?? null;

  async function handleFile(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    // Choosing the same file again must fire another change.
    input.value = '';
    if (!file) return;
    setOwnError(null);
    setBusy(true);
    try {
      const prepared = await prepareFile(purpose, file);
      if (!prepared.ok) {
        setOwnError(prepared.message);
        return;
      }
      await keepAndQueue(fileServicesFor(user.id), prepared, purpose);
      onChange(prepared.sha256);
      announce(`${label} : image choisie. Elle sera envoyée au serveur dès que possible.`);
    } catch (err) {
      setOwnError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  function remove() {
    setOwnError(null);
    onChange(null);
    announce(`${label} : image retirée.`);
    chooseRef.current?.focus();
  }

  const describedBy = [hintId, shownError ? errorId : null].filter(Boolean).join(' ');

  return (
    <fieldset className={`image-picker image-picker--${purpose}${shownError ? ' image-picker--error' : ''}`}>
      <legend className="image-picker__label">{label}</legend>
      <p className="field__hint" id={hintId}>
        {hint ?? rule.rule}
      </p>
      <div className="image-picker__body">
        <div className="image-picker__preview" aria-busy={preview.status === 'loading' || busy}>
          {preview.status === 'ready' ? (
            <img src={preview.url} alt={`${label} actuel`} />
          ) : (
            <span className="image-picker__placeholder">
              {preview.status === 'none'
                ? 'Aucune image'
                : preview.status === 'loading'
                  ? 'Chargement…'
                  : preview.message}
            </span>
          )}
        </div>
        <div className="image-picker__actions">
          <input
            ref={inputRef}
            id={`${base}-input`}
            className="visually-hidden"
            type="file"
            accept={rule.accept}
            tabIndex={-1}
            aria-hidden="true"
            disabled={disabled || busy}
            onChange={(e) => void handleFile(e)}
          />
          <button
            ref={chooseRef}
            type="button"
            className="button button--secondary"
            aria-describedby={describedBy}
            disabled={disabled || busy}
            onClick={() => inputRef.current?.click()}
          >
            {busy ? 'Vérification…' : 'Choisir une image…'}
            <span className="visually-hidden"> ({label})</span>
          </button>
          {value ? (
            <button
              type="button"
              className="button button--ghost"
              disabled={disabled || busy}
              onClick={remove}
            >
              Retirer l’image<span className="visually-hidden"> ({label})</span>
            </button>
          ) : null}
        </div>
      </div>
      {shownError ? (
        <p className="field__error" id={errorId} role="alert">
          {shownError}
        </p>
      ) : null}
    </fieldset>
  );
}
