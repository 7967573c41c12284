import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { OFFER_ACTION_LABELS, type OfferActionId, offerActionName, primaryRowActions } from './offer-actions';

interface Props {
  title: string;
  actions: readonly OfferActionId[];
  onAction: (action: OfferActionId) => void;
}

const BUTTON_CLASS: Partial<Record<OfferActionId, string>> = {
  dupliquer: 'button button--small button--secondary',
  supprimer: 'button button--small button--danger-outline',
};

/**
 * The buttons of a row of « Mes offres »: the status's main actions and « Dupliquer » as
 * buttons, the others in an « Autres actions » menu (a popover in the top layer: the scrolling
 * table never clips it; arrows move between its items, Escape closes it and gives the focus back).
 */
export function OfferRowActions({ title, actions, onAction }: Props) {
  const primary = primaryRowActions(actions);
  const shown = actions.includes('dupliquer') ? [...primary, 'dupliquer' as const] : primary;
  const more = actions.filter((a) => !shown.includes(a));
  return (
    <>
      {shown.map((a) => (
        <button
          key={a}
          type="button"
          className={BUTTON_CLASS[a] ?? 'button button--small'}
          data-col={`action-${a}`}
          aria-label={offerActionName(a, title)}
          onClick={() => onAction(a)}
        >
          {OFFER_ACTION_LABELS[a]}
        </button>
      ))}
      {more.length > 0 ? <ActionMenu title={title} actions={more} onAction={onAction} /> : null}
    </>
  );
}

function ActionMenu({ title, actions, onAction }: Props) {
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  // The menu's markup exists only once opened: rows stay light (a long list renders many of them).
  const [rendered, setRendered] = useState(false);

  const items = () => [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];

  function show() {
    if (!rendered) flushSync(() => setRendered(true));
    const menu = menuRef.current;
    const button = buttonRef.current;
    if (!menu || !button) return;
    menu.showPopover();
    const r = button.getBoundingClientRect();
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    const left = Math.max(8, Math.min(window.innerWidth - width - 8, r.right - width));
    const below = r.bottom + 4;
    const top = below + height > window.innerHeight - 8 ? Math.max(8, r.top - height - 4) : below;
    menu.style.left = `${left}px`;
    menu.style.top = `${top}px`;
    items()[0]?.focus();
  }

  function hide(returnFocus: boolean) {
    const menu = menuRef.current;
    if (menu?.matches(':popover-open')) menu.hidePopover();
    if (returnFocus) buttonRef.current?.focus();
  }

  function onMenuKeyDown(ev: KeyboardEvent<HTMLDivElement>) {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      ev.stopPropagation();
      const step = ev.key === 'ArrowDown' ? 1 : -1;
      list[(at + step + list.length) % list.length]?.focus();
    } else if (ev.key === 'Home' || ev.key === 'End') {
      ev.preventDefault();
      ev.stopPropagation();
      (ev.key === 'Home' ? list[0] : list[list.length - 1])?.focus();
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      hide(true);
    } else if (ev.key === 'Tab') {
      hide(false);
    }
  }

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="button button--small button--ghost"
        data-col="menu"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={id}
        aria-label={`Autres actions pour « ${title || 'sans titre'} »`}
        onClick={() => (open ? hide(false) : show())}
        onKeyDown={(ev) => {
          if (ev.key === 'ArrowDown' && !open) {
            ev.preventDefault();
            ev.stopPropagation();
            show();
          }
        }}
      >
        Plus <span aria-hidden="true">▾</span>
      </button>
      {rendered ? (
        <div
          ref={menuRef}
          id={id}
          popover="auto"
          role="menu"
          aria-label={`Actions pour « ${title || 'sans titre'} »`}
          className="row-menu"
          onKeyDown={onMenuKeyDown}
          onToggle={(ev) => {
            const isOpen = (ev as unknown as ToggleEvent).newState === 'open';
            setOpen(isOpen);
            // Closed by Escape or a click elsewhere while the focus was inside: give it back.
            if (!isOpen && menuRef.current?.contains(document.activeElement)) buttonRef.current?.focus();
          }}
        >
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={`row-menu__item${a === 'supprimer' ? ' row-menu__item--danger' : ''}`}
              aria-label={offerActionName(a, title)}
              onClick={() => {
                hide(true);
                onAction(a);
              }}
            >
              {OFFER_ACTION_LABELS[a]}
            </button>
          ))}
        </div>
      ) : null}
    </>
  );
}
