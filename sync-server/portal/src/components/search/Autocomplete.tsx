import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';

/**
 * A text field with suggestions (ARIA 1.2 combobox and list box), for the place and the job of
 * the offer search. Typing calls `onType`; picking a suggestion calls `onPick`. The text stays
 * the parent's (`text`), so a field may hold free text (keywords) as well as a choice.
 */
export function Autocomplete<T>({
  id,
  text,
  onType,
  onPick,
  suggest,
  labelOf,
  keyOf,
  listLabel,
  invalid,
  describedBy,
  placeholder,
  minLength = 2,
  maxLength = 200,
}: {
  id: string;
  text: string;
  onType: (text: string) => void;
  onPick: (item: T) => void;
  suggest: (q: string, signal: AbortSignal) => Promise<T[]>;
  labelOf: (item: T) => string;
  keyOf: (item: T) => string;
  listLabel: string;
  invalid?: boolean;
  describedBy?: string | undefined;
  placeholder?: string;
  minLength?: number;
  maxLength?: number;
}) {
  const listId = useId();
  const [items, setItems] = useState<T[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const picked = useRef<string | null>(null);
  const suggestRef = useRef(suggest);
  suggestRef.current = suggest;

  useEffect(() => {
    const q = text.trim();
    if (!open || q.length < minLength || q === picked.current) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      suggestRef.current(q, controller.signal).then(
        (found) => {
          setItems(found);
          setActive(-1);
          setStatus(
            found.length === 0
              ? 'Aucune suggestion.'
              : `${found.length} suggestion${found.length > 1 ? 's' : ''} : flèches haut et bas pour choisir.`,
          );
        },
        () => {
          if (!controller.signal.aborted) setStatus('Suggestions indisponibles pour le moment.');
        },
      );
    }, 200);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [text, open, minLength]);

  const choose = (item: T) => {
    picked.current = labelOf(item);
    setOpen(false);
    setItems([]);
    setStatus(`${labelOf(item)} choisi.`);
    onPick(item);
  };

  const expanded = open && items.length > 0;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      if (items.length > 0) setActive((a) => (a + 1) % items.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (items.length > 0) setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
    } else if (event.key === 'Enter' && expanded && active >= 0) {
      event.preventDefault();
      choose(items[active]!);
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
        maxLength={maxLength}
        placeholder={placeholder}
        onChange={(event) => {
          picked.current = null;
          setOpen(true);
          onType(event.target.value);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
      />
      <div id={listId} role="listbox" aria-label={listLabel} className="combobox__list" hidden={!expanded}>
        {items.map((item, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works on the combobox (arrows and Enter).
          <div
            key={keyOf(item)}
            id={`${listId}-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            className={i === active ? 'combobox__option combobox__option--active' : 'combobox__option'}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(item)}
          >
            {labelOf(item)}
          </div>
        ))}
      </div>
      <span className="visually-hidden" aria-live="polite">
        {status}
      </span>
    </div>
  );
}
