import type { ReactNode } from 'react';
import type { NafActivity } from '../../../../shared/domain/reference';
import { ReferenceCombobox } from './ReferenceCombobox';
import { type NafValue, nafQuery, nafText } from './reference-values';
import { useComboboxText } from './use-combobox-text';
import { useNafSuggestions } from './use-reference-suggestions';

export interface NafInputProps {
  id: string;
  label: string;
  value: NafValue | null;
  /** The NAF sous-classe chosen (code « 62.01Z », label, section), or null once the text changes. */
  onChange: (activity: NafActivity | null) => void;
  /** Every keystroke, for forms that keep free text while the list is unavailable. */
  onTextChange?: (text: string) => void;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
}

/** NAF code type-ahead, by code (« 62.01Z », « 6201 ») or activity words, offline once cached. */
export function NafInput({ value, onChange, onTextChange, placeholder, ...field }: NafInputProps) {
  const valueText = nafText(value);
  const { text, type, settle } = useComboboxText(valueText);
  const query = value && text === valueText ? nafQuery(value) : text;
  const suggestions = useNafSuggestions(query);
  return (
    <ReferenceCombobox
      {...field}
      placeholder={placeholder ?? 'Code NAF ou activité, par exemple « 10.71C » ou « boulangerie »'}
      text={text}
      onTextChange={(t) => {
        type(t);
        onTextChange?.(t);
        if (value) onChange(null);
      }}
      suggestions={suggestions}
      optionKey={(a) => a.code}
      renderOption={(a) => (
        <>
          <span className="ref-combobox__main">
            <span className="ref-combobox__code">{a.code}</span> {a.label}
          </span>
          {a.sectionLabel ? <span className="ref-combobox__detail">{a.sectionLabel}</span> : null}
        </>
      )}
      onSelect={(a) => {
        settle(nafText(a));
        onChange(a);
      }}
      onClear={() => {
        settle('');
        onTextChange?.('');
        onChange(null);
      }}
    />
  );
}
