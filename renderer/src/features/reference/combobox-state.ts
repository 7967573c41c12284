/**
 * Keyboard behaviour of the reference type-ahead inputs (WAI-ARIA 1.2 combobox with a listbox
 * popup, list autocomplete, DOM focus staying on the input): pure, so it is tested without a DOM.
 *
 * - Typing opens the list (no option active).
 * - ↓ / ↑ open it, or move the active option (wrapping); Alt+↓ opens it without moving.
 * - Enter picks the active option, or the first one when none is active; nothing when closed.
 * - Escape closes the list; when it is closed, clears the field (if there is text to clear).
 * - Tab closes the list (the focus moves on as usual).
 */

export interface ComboboxState {
  open: boolean;
  /** Index of the active (visually focused) option, -1 for none. */
  active: number;
}

export type ComboboxAction =
  | { type: 'typed' }
  | { type: 'key'; key: string; altKey?: boolean; count: number; hasText?: boolean }
  | { type: 'hover'; index: number }
  | { type: 'close' };

export interface ComboboxOutcome {
  state: ComboboxState;
  /** Pick this option, or clear the field. */
  effect?: { type: 'select'; index: number } | { type: 'clear' };
  /** The key was handled: prevent its default action (form submit, caret move). */
  handled: boolean;
}

export const CLOSED: ComboboxState = { open: false, active: -1 };

export function comboboxReduce(state: ComboboxState, action: ComboboxAction): ComboboxOutcome {
  switch (action.type) {
    case 'typed':
      return { state: { open: true, active: -1 }, handled: false };
    case 'hover':
      return { state: { ...state, active: action.index }, handled: false };
    case 'close':
      return { state: CLOSED, handled: false };
    case 'key':
      return keyReduce(state, action.key, action.altKey ?? false, action.count, action.hasText ?? false);
  }
}

function keyReduce(
  state: ComboboxState,
  key: string,
  altKey: boolean,
  count: number,
  hasText: boolean,
): ComboboxOutcome {
  const last = count - 1;
  switch (key) {
    case 'ArrowDown':
      if (!state.open || altKey)
        return { state: { open: true, active: altKey ? state.active : count > 0 ? 0 : -1 }, handled: true };
      return {
        state: { open: true, active: count === 0 ? -1 : state.active >= last ? 0 : state.active + 1 },
        handled: true,
      };
    case 'ArrowUp':
      if (!state.open) return { state: { open: true, active: last }, handled: true };
      return {
        state: { open: true, active: count === 0 ? -1 : state.active <= 0 ? last : state.active - 1 },
        handled: true,
      };
    case 'Enter':
      if (!state.open || count === 0) return { state, handled: state.open };
      return {
        state: CLOSED,
        effect: { type: 'select', index: state.active >= 0 && state.active < count ? state.active : 0 },
        handled: true,
      };
    case 'Escape':
      if (state.open) return { state: CLOSED, handled: true };
      // Nothing to clear: let Escape reach the dialog or page around.
      return hasText ? { state, effect: { type: 'clear' }, handled: true } : { state, handled: false };
    case 'Tab':
      return { state: CLOSED, handled: false };
    default:
      return { state, handled: false };
  }
}

/** What the live region says about the list, in French. */
export function listStatusMessage(options: {
  open: boolean;
  query: string;
  count: number;
  loading: boolean;
  unavailable: boolean;
}): string {
  if (!options.open || !options.query.trim()) return '';
  if (options.count > 0)
    return options.count === 1
      ? '1 suggestion. Flèches haut et bas pour parcourir, Entrée pour choisir.'
      : `${options.count} suggestions. Flèches haut et bas pour parcourir, Entrée pour choisir.`;
  if (options.loading) return 'Recherche en cours…';
  if (options.unavailable) return 'Liste indisponible hors connexion pour le moment.';
  return 'Aucun résultat';
}
