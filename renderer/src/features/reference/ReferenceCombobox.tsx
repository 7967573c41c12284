import { type KeyboardEvent, type ReactNode, useEffect, useState } from 'react';
import { FormField } from '../../components/FormField';
import { CLOSED, type ComboboxState, comboboxReduce, listStatusMessage } from './combobox-state';
import type { Suggestions } from './use-reference-suggestions';
import './reference.css';

export interface ReferenceComboboxProps<T> {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
  /** What the field shows. */
  text: string;
  onTextChange: (text: string) => void;
  suggestions: Suggestions<T>;
  optionKey: (item: T) => string;
  renderOption: (item: T) => ReactNode;
  onSelect: (item: T) => void;
  onClear: () => void;
  /** Shown under the field and read with it (e.g. « Position approchée (code postal) »). */
  note?: string | null;
}

/**
 * An accessible type-ahead (WAI-ARIA 1.2 combobox, list autocomplete): the focus stays in the
 * input, `aria-activedescendant` points at the active option, a live region says how many
 * suggestions there are. Keyboard behaviour: `combobox-state.ts`.
 */
export function ReferenceCombobox<T>(props: ReferenceComboboxProps<T>) {
  const { id, label, hint, error, required, disabled, placeholder, text, suggestions, note } = props;
  const [state, setState] = useState<ComboboxState>(CLOSED);
  const listId = `${id}-listbox`;
  const noteId = `${id}-note`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const items = suggestions.items;
  const count = items.length;
  const active = state.active < count ? state.active : -1;
  const expanded = state.open && count > 0 && !disabled;
  const searched = text.trim() !== '' && suggestions.source !== 'none';
  const showEmpty = state.open && !disabled && count === 0 && searched && !suggestions.loading;
  const showUnavailable =
    state.open && !disabled && count === 0 && text.trim() !== '' && suggestions.unavailable;

  const activeId = expanded && active >= 0 ? optionId(active) : undefined;
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView?.({ block: 'nearest' });
  }, [activeId]);

  const pick = (index: number) => {
    const item = items[index];
    if (item !== undefined) props.onSelect(item);
    setState(CLOSED);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const outcome = comboboxReduce(state, {
      type: 'key',
      key: event.key,
      altKey: event.altKey,
      count,
      hasText: text !== '',
    });
    if (outcome.handled) event.preventDefault();
    setState(outcome.state);
    if (outcome.effect?.type === 'select') pick(outcome.effect.index);
    else if (outcome.effect?.type === 'clear') props.onClear();
  };

  const status = listStatusMessage({
    open: state.open,
    query: text,
    count,
    loading: suggestions.loading,
    unavailable: suggestions.unavailable,
  });

  return (
    <FormField id={id} label={label} required={required} error={error} hint={hint}>
      {(field) => (
        <div className="ref-combobox">
          <input
            {...field}
            aria-describedby={
              [field['aria-describedby'], note ? noteId : undefined].filter(Boolean).join(' ') || undefined
            }
            type="text"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls={listId}
            aria-activedescendant={activeId}
            autoComplete="off"
            spellCheck={false}
            disabled={disabled}
            placeholder={placeholder}
            value={text}
            onChange={(e) => {
              props.onTextChange(e.target.value);
              setState(comboboxReduce(state, { type: 'typed' }).state);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setState(CLOSED)}
          />
          <div
            className="ref-combobox__listbox"
            id={listId}
            role="listbox"
            aria-label={label}
            hidden={!expanded}
          >
            {expanded
              ? items.map((item, i) => (
                  // Options are chosen with the keyboard from the input (aria-activedescendant)
                  // or with the pointer here; mousedown keeps the focus in the input.
                  // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard handled by the combobox input
                  <div
                    key={props.optionKey(item)}
                    id={optionId(i)}
                    role="option"
                    tabIndex={-1}
                    aria-selected={i === active}
                    className={`ref-combobox__option${i === active ? ' ref-combobox__option--active' : ''}`}
                    onMouseDown={(e) => e.preventDefault()}
                    onMouseMove={() => {
                      if (i !== active) setState(comboboxReduce(state, { type: 'hover', index: i }).state);
                    }}
                    onClick={() => pick(i)}
                  >
                    {props.renderOption(item)}
                  </div>
                ))
              : null}
          </div>
          {showEmpty ? <p className="ref-combobox__empty">Aucun résultat</p> : null}
          {showUnavailable ? (
            <p className="ref-combobox__empty">
              Liste indisponible hors connexion pour le moment : elle sera téléchargée à la prochaine
              connexion.
            </p>
          ) : null}
          {note ? (
            <p className="ref-combobox__note" id={noteId}>
              {note}
            </p>
          ) : null}
          <div className="visually-hidden" role="status" aria-live="polite">
            {status}
          </div>
        </div>
      )}
    </FormField>
  );
}
