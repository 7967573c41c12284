import { useEffect, useRef, useState } from 'react';

/**
 * The text of a reference input: follows the value chosen (or reset) by the form, except while
 * the user is typing, when it is theirs.
 */
export function useComboboxText(valueText: string) {
  const [text, setText] = useState(valueText);
  const typing = useRef(false);
  const last = useRef(valueText);
  useEffect(() => {
    if (valueText === last.current) return;
    last.current = valueText;
    // A value cleared because the user is typing must not wipe what they type.
    if (valueText !== '' || !typing.current) setText(valueText);
  }, [valueText]);
  return {
    text,
    /** The user typed. */
    type(next: string) {
      typing.current = true;
      setText(next);
    },
    /** A value was chosen or cleared. */
    settle(next: string) {
      typing.current = false;
      setText(next);
    },
  };
}
