import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { type CommuneChoice, communeLabel, searchCommunes } from '../companies-api';

/**
 * A commune chosen from the referential (type-ahead on name or postal code): an ARIA 1.2
 * combobox with a list box. Typing clears the choice until a suggestion is picked.
 */
export function CommuneInput({
  id,
  value,
  onChange,
  invalid,
  describedBy,
}: {
  id: string;
  value: CommuneChoice | null;
  onChange: (commune: CommuneChoice | null, typed: string) => void;
  invalid?: boolean;
  describedBy?: string;
}) {
  const listId = useId();
  const statusId = useId();
  const [text, setText] = useState(value ? communeLabel(value) : '');
  const [suggestions, setSuggestions] = useState<CommuneChoice[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const lastValue = useRef(value);

  // A choice made elsewhere (the page's criteria loaded) shows in the field.
  useEffect(() => {
    if (value !== lastValue.current) {
      lastValue.current = value;
      if (value) setText(communeLabel(value));
    }
  }, [value]);

  useEffect(() => {
    const q = text.trim();
    if (!open || q.length < 2 || (value && q === communeLabel(value))) {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      searchCommunes(q, controller.signal).then(
        (items) => {
          setSuggestions(items);
          setActive(-1);
          setStatus(
            items.length === 0
              ? 'Aucune commune trouvée.'
              : `${items.length} commune${items.length > 1 ? 's' : ''} proposée${items.length > 1 ? 's' : ''} : flèches haut et bas pour choisir.`,
          );
        },
        () => {
          if (!controller.signal.aborted) setStatus('Impossible de chercher les communes pour le moment.');
        },
      );
    }, 200);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [text, open, value]);

  const choose = (commune: CommuneChoice) => {
    lastValue.current = commune;
    setText(communeLabel(commune));
    setOpen(false);
    setSuggestions([]);
    setStatus(`${communeLabel(commune)} choisie.`);
    onChange(commune, communeLabel(commune));
  };

  const expanded = open && suggestions.length > 0;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      if (suggestions.length > 0) setActive((a) => (a + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (suggestions.length > 0) setActive((a) => (a <= 0 ? suggestions.length - 1 : a - 1));
    } else if (event.key === 'Enter' && expanded && active >= 0) {
      event.preventDefault();
      choose(suggestions[active]!);
    } else if (event.key === 'Escape' && expanded) {
      event.preventDefault();
      setOpen(false);
    }
  };

  return (
    <div className="combobox">
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        value={text}
        placeholder="Nom ou code postal"
        onChange={(event) => {
          const typed = event.target.value;
          setText(typed);
          setOpen(true);
          lastValue.current = null;
          onChange(null, typed);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
      />
      <div
        id={listId}
        role="listbox"
        aria-label="Communes proposées"
        className="combobox__list"
        hidden={!expanded}
      >
        {suggestions.map((c, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works on the combobox (arrows and Enter).
          <div
            key={`${c.code}-${c.postalCode}`}
            id={`${listId}-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            className={i === active ? 'combobox__option combobox__option--active' : 'combobox__option'}
            // Keep the focus in the field: a click must not blur it first.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(c)}
          >
            {communeLabel(c)}
          </div>
        ))}
      </div>
      <span id={statusId} className="visually-hidden" aria-live="polite">
        {status}
      </span>
    </div>
  );
}
