import { useEffect, useMemo, useRef, useState } from 'react';
import { activeCvIds, cvCountLabel, validateCvListName } from '../../../../shared/domain/cv-lists';
import type { CvListDoc } from '../../../../shared/schemas/cv-list.schema';
import { useSession } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatDate, plural } from '../../lib/format';
import { changeList, createList, deleteList, removeCvsFromList, useCvLists, useCvsByIds } from './cv-db';
import { cvCommune, cvDisplayName, qualificationLabel } from './cvtheque-model';
import { rememberedCv } from './cvtheque-state';
import './cvtheque.css';

interface Props {
  listId?: string;
}

function NameField({
  id,
  label,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  id: string;
  label: string;
  initial: string;
  submitLabel: string;
  onSubmit: (name: string) => Promise<void>;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <form
      className="cv-name-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const errors = validateCvListName(name);
        if (errors.length) {
          setError(errors[0]!.message);
          inputRef.current?.focus();
          return;
        }
        setError(null);
        void onSubmit(name.trim()).then(() => setName(''));
      }}
    >
      <div className={`field${error ? ' field--error' : ''}`}>
        <label htmlFor={id}>{label}</label>
        <div className="cv-inline">
          <input
            id={id}
            ref={inputRef}
            type="text"
            maxLength={100}
            value={name}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="button button--primary button--small">
            {submitLabel}
          </button>
          {onCancel ? (
            <button type="button" className="button button--secondary button--small" onClick={onCancel}>
              Annuler
            </button>
          ) : null}
        </div>
        {error ? (
          <p className="field__error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    </form>
  );
}

function ListContent({ list }: { list: CvListDoc }) {
  const { db, user, navigate, announce } = useSession();
  const ids = useMemo(() => activeCvIds(list), [list]);
  const docs = useCvsByIds(db, ids);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const mine = list.ownerId === user.id;
  // The box follows the click at once; the replica's answer follows a moment later.
  const [sharedShown, setSharedShown] = useState(list.shared);
  useEffect(() => setSharedShown(list.shared), [list.shared]);

  useEffect(() => {
    setChecked((c) => new Set([...c].filter((id) => ids.includes(id))));
  }, [ids]);

  async function removeChecked() {
    const n = checked.size;
    await removeCvsFromList(db, list.id, [...checked]);
    setChecked(new Set());
    announce(`${n} ${plural(n, 'CV retiré', 'CV retirés')} de « ${list.name} ».`);
  }

  return (
    <section className="cv-list-content panel" aria-labelledby="cv-list-title" data-testid="cv-list-content">
      <div className="page-header">
        <h2 id="cv-list-title" tabIndex={-1}>
          {list.name}
        </h2>
        <p className="muted" data-testid="cv-list-count">
          ({cvCountLabel(ids.length)})
        </p>
      </div>
      <p className="small muted">
        {list.shared
          ? 'Partagée avec votre organisation : chaque membre la voit et la modifie.'
          : 'Liste personnelle.'}
        {!mine ? ' Créée par un autre membre de votre organisation.' : ''}
      </p>
      <div className="cv-list-tools">
        {renaming ? (
          <NameField
            id="rename-list"
            label="Nouveau nom de la liste"
            initial={list.name}
            submitLabel="Renommer"
            onCancel={() => setRenaming(false)}
            onSubmit={async (name) => {
              await changeList(db, list.id, { name });
              setRenaming(false);
              announce(`Liste renommée « ${name} ».`);
            }}
          />
        ) : (
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={() => setRenaming(true)}
          >
            Renommer
          </button>
        )}
        <div className="field--checkbox">
          <input
            id="share-list"
            type="checkbox"
            checked={sharedShown}
            disabled={!mine}
            onChange={(e) => {
              const shared = e.target.checked;
              setSharedShown(shared);
              void changeList(db, list.id, { shared }).then(
                () =>
                  announce(
                    shared
                      ? `« ${list.name} » est partagée avec votre organisation.`
                      : `« ${list.name} » n’est plus partagée.`,
                  ),
                () => {
                  setSharedShown(list.shared);
                  announce('Le partage de la liste n’a pas pu être enregistré sur ce poste.');
                },
              );
            }}
          />
          <label htmlFor="share-list">Partager avec mon organisation</label>
        </div>
        {mine ? (
          <button
            type="button"
            className="button button--small button--danger-outline"
            onClick={() => setConfirmDelete(true)}
          >
            Supprimer la liste
          </button>
        ) : null}
      </div>
      {ids.length === 0 ? (
        <p className="empty-state">
          Cette liste est vide. Ajoutez-y des CV depuis les résultats de la CVthèque ou la page d’un CV.
        </p>
      ) : (
        <>
          <div className="cv-bulk">
            <span>
              {checked.size} {plural(checked.size, 'CV sélectionné', 'CV sélectionnés')}
            </span>
            <button
              type="button"
              className="button button--small button--danger-outline"
              disabled={checked.size === 0}
              onClick={() => void removeChecked()}
            >
              Retirer de la liste
            </button>
          </div>
          <div className="table-wrap">
            <table className="data-table cv-table" data-testid="cv-list-table">
              <caption className="visually-hidden">CV de la liste « {list.name} »</caption>
              <thead>
                <tr>
                  <th scope="col" className="col-check">
                    <input
                      type="checkbox"
                      aria-label="Sélectionner tous les CV de la liste"
                      checked={checked.size === ids.length}
                      onChange={(e) => setChecked(e.target.checked ? new Set(ids) : new Set())}
                    />
                  </th>
                  <th scope="col">Titre du CV</th>
                  <th scope="col">Commune</th>
                  <th scope="col">Qualification</th>
                  <th scope="col">Mise à jour</th>
                </tr>
              </thead>
              <tbody>
                {ids.map((id) => {
                  const doc = docs?.get(id) ?? rememberedCv(id);
                  return (
                    <tr key={id} data-testid="cv-list-row" data-cv-id={id}>
                      <td className="col-check">
                        <input
                          type="checkbox"
                          aria-label={`Sélectionner « ${doc?.title ?? 'CV non disponible'} »`}
                          checked={checked.has(id)}
                          onChange={(e) =>
                            setChecked((s) => {
                              const n = new Set(s);
                              if (e.target.checked) n.add(id);
                              else n.delete(id);
                              return n;
                            })
                          }
                        />
                      </td>
                      <td>
                        {doc ? (
                          <>
                            <button
                              type="button"
                              className="link-button cv-title"
                              onClick={() =>
                                navigate({ name: 'cv', cvId: id, from: 'cv-lists', listId: list.id })
                              }
                            >
                              {doc.title}
                            </button>
                            <span className="cv-sub">{cvDisplayName(doc)}</span>
                          </>
                        ) : (
                          <span className="muted">
                            CV pas encore disponible sur ce poste (il arrivera à la prochaine synchronisation,
                            ou il a été retiré de la CVthèque)
                          </span>
                        )}
                      </td>
                      <td>{doc ? cvCommune(doc) : ''}</td>
                      <td>{doc ? qualificationLabel(doc) : ''}</td>
                      <td className="col-date">{doc ? formatDate(doc.updatedAt) : ''}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title="Supprimer cette liste ?"
        confirmLabel="Supprimer la liste"
        danger
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          void deleteList(db, list.id).then(() => {
            announce(`Liste « ${list.name} » supprimée.`);
            navigate({ name: 'cv-lists' });
          });
        }}
      >
        <p>
          La liste « {list.name} » sera supprimée
          {list.shared ? ' pour tous les membres de votre organisation' : ''}. Les CV restent dans la
          CVthèque.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** « Mes listes de CV » (seed 001 « CV sauvegardés », seed 000 « Mes CVs »). */
export function CvListsScreen({ listId }: Props) {
  const { db, user, organisation, navigate, announce } = useSession();
  const orgId = organisation?.organisationId ?? null;
  const lists = useCvLists(db, user.id, orgId);
  const open = lists?.find((l) => l.id === listId) ?? null;

  return (
    <section aria-labelledby="cv-lists-title" className="cv-lists">
      <div className="page-header">
        <h1 id="cv-lists-title" tabIndex={-1}>
          Mes listes de CV
        </h1>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => navigate({ name: 'cvtheque' })}
        >
          Rechercher des CV
        </button>
      </div>
      <p className="muted">
        Sauvegardez les CV qui ont attiré votre attention et classez-les dans des listes.
      </p>
      {!organisation ? (
        <p className="empty-state">Votre compte n’est rattaché à aucune organisation.</p>
      ) : (
        <div className="cv-lists__layout">
          <div className="cv-lists__side panel">
            <h2>Mes listes</h2>
            {lists === undefined ? (
              <p>Chargement des listes…</p>
            ) : lists.length === 0 ? (
              <p className="muted">Vous n’avez pas encore de liste.</p>
            ) : (
              <ul className="cv-lists__list" data-testid="cv-lists">
                {lists.map((l) => {
                  const n = activeCvIds(l).length;
                  return (
                    <li key={l.id} data-testid="cv-list-item">
                      <button
                        type="button"
                        className={`link-button${l.id === listId ? ' is-active' : ''}`}
                        aria-current={l.id === listId ? 'true' : undefined}
                        onClick={() => navigate({ name: 'cv-lists', listId: l.id })}
                      >
                        {l.name}
                      </button>
                      <span className="muted small">
                        {' '}
                        ({cvCountLabel(n)}){l.shared ? ' · partagée' : ''}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
            <NameField
              id="create-list"
              label="Nom de la nouvelle liste"
              initial=""
              submitLabel="Créer une nouvelle liste de sauvegarde"
              onSubmit={async (name) => {
                if (!orgId) return;
                const list = await createList(db, { organisationId: orgId, ownerId: user.id, name });
                announce(`Liste « ${list.name} » créée.`);
                navigate({ name: 'cv-lists', listId: list.id });
              }}
            />
          </div>
          <div className="cv-lists__main">
            {open ? (
              <ListContent key={open.id} list={open} />
            ) : (
              <p className="muted">
                {listId && lists ? 'Cette liste n’existe plus. ' : ''}Choisissez une liste pour voir ses CV.
              </p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
