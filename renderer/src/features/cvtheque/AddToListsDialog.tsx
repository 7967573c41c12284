import { useEffect, useRef, useState } from 'react';
import { isInList, validateCvListName } from '../../../../shared/domain/cv-lists';
import { useSession } from '../../app/session-context';
import { plural } from '../../lib/format';
import { applyListChoice, createList, useCvLists } from './cv-db';
import { keepCvFileOffline } from './file-cache';

interface Props {
  /** The CVs to file (null: the dialog is closed). */
  cvIds: string[] | null;
  /** Their titles, for the dialog's wording (one CV: its title). */
  label?: string;
  /** The CVs' attached files, kept on this workstation once they are in a list (offline reading). */
  fileHashes?: string[];
  onClose: () => void;
}

/**
 * « Ajouter à une liste »: the user's lists as checkboxes (ticked when every chosen CV is in it),
 * and « Nouvelle liste ». Saving adds the CVs to the lists ticked and takes them out of those
 * unticked; lists left as they were are not written.
 */
export function AddToListsDialog({ cvIds, label, fileHashes, onClose }: Props) {
  const { db, user, organisation, announce } = useSession();
  const orgId = organisation?.organisationId ?? null;
  const lists = useCvLists(db, user.id, orgId);
  const ref = useRef<HTMLDialogElement>(null);
  const open = cvIds !== null;
  const [choice, setChoice] = useState<Map<string, boolean>>(new Map());
  const [newName, setNewName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setChoice(new Map());
      setNewName('');
      setNameError(null);
      setError(null);
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const ids = cvIds ?? [];
  const stateOf = (listId: string): 'all' | 'some' | 'none' => {
    const list = lists?.find((l) => l.id === listId);
    if (!list || ids.length === 0) return 'none';
    const n = ids.filter((id) => isInList(list, id)).length;
    return n === 0 ? 'none' : n === ids.length ? 'all' : 'some';
  };

  async function create() {
    const errors = validateCvListName(newName);
    if (errors.length) {
      setNameError(errors[0]!.message);
      document.getElementById('new-list-name')?.focus();
      return;
    }
    if (!orgId) return;
    setBusy(true);
    try {
      const list = await createList(db, { organisationId: orgId, ownerId: user.id, name: newName });
      setChoice((c) => new Map(c).set(list.id, true));
      setNewName('');
      setNameError(null);
      announce(`Liste « ${list.name} » créée et cochée.`);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'La liste n’a pas pu être créée.');
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    setBusy(true);
    try {
      const changes = new Map([...choice].filter(([id, v]) => v !== (stateOf(id) === 'all')));
      await applyListChoice(db, ids, changes, user.id);
      const names = (lists ?? []).filter((l) => changes.get(l.id) === true).map((l) => `« ${l.name} »`);
      if (names.length) for (const h of fileHashes ?? []) void keepCvFileOffline(user.id, h);
      announce(
        names.length
          ? `${ids.length} ${plural(ids.length, 'CV ajouté', 'CV ajoutés')} à ${names.join(', ')}.`
          : 'Listes mises à jour.',
      );
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Les listes n’ont pas pu être mises à jour.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog cv-lists-dialog"
      aria-labelledby="add-lists-title"
      data-testid="add-to-lists-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="add-lists-title">Ajouter à une liste</h2>
      <div className="dialog__body">
        <p className="muted">
          {ids.length === 1 && label
            ? `CV « ${label} » : cochez les listes où le ranger.`
            : `${ids.length} ${plural(ids.length, 'CV sélectionné', 'CV sélectionnés')} : cochez les listes où les ranger.`}
        </p>
        {error ? (
          <p className="alert alert--error" role="alert">
            {error}
          </p>
        ) : null}
        <fieldset className="checkbox-group">
          <legend>Mes listes de CV</legend>
          {lists === undefined ? (
            <p>Chargement des listes…</p>
          ) : lists.length === 0 ? (
            <p className="muted">Vous n’avez pas encore de liste : créez-en une ci-dessous.</p>
          ) : (
            <div className="cv-lists-choices">
              {lists.map((l) => {
                const state = stateOf(l.id);
                const value = choice.get(l.id) ?? state === 'all';
                return (
                  <div className="field--checkbox" key={l.id}>
                    <input
                      id={`list-choice-${l.id}`}
                      type="checkbox"
                      checked={value}
                      ref={(el) => {
                        if (el) el.indeterminate = !choice.has(l.id) && state === 'some';
                      }}
                      onChange={(e) => setChoice((c) => new Map(c).set(l.id, e.target.checked))}
                    />
                    <label htmlFor={`list-choice-${l.id}`}>
                      {l.name}
                      {l.shared ? ' (partagée avec l’organisation)' : ''}
                      {!choice.has(l.id) && state === 'some' ? ' — contient une partie des CV' : ''}
                    </label>
                  </div>
                );
              })}
            </div>
          )}
        </fieldset>
        <div className={`field${nameError ? ' field--error' : ''}`}>
          <label htmlFor="new-list-name">Nouvelle liste</label>
          <div className="cv-inline">
            <input
              id="new-list-name"
              type="text"
              maxLength={100}
              value={newName}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? 'new-list-name-error' : undefined}
              onChange={(e) => setNewName(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void create();
                }
              }}
            />
            <button
              type="button"
              className="button button--secondary"
              disabled={busy}
              onClick={() => void create()}
            >
              Créer la liste
            </button>
          </div>
          {nameError ? (
            <p className="field__error" id="new-list-name-error">
              {nameError}
            </p>
          ) : null}
        </div>
      </div>
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onClose}>
          Annuler
        </button>
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void save()}>
          Enregistrer
        </button>
      </div>
    </dialog>
  );
}
