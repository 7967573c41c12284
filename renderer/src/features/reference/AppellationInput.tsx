import type { ReactNode } from 'react';
import type { Appellation } from '../../../../shared/domain/reference';
import { ReferenceCombobox } from './ReferenceCombobox';
import { type AppellationValue, appellationQuery, appellationText } from './reference-values';
import { useComboboxText } from './use-combobox-text';
import { useAppellationSuggestions } from './use-reference-suggestions';

export interface AppellationInputProps {
  id: string;
  label: string;
  value: AppellationValue | null;
  /** The ROME appellation chosen (code OGR, label, ROME code and its label), or null once the text changes. */
  onChange: (appellation: Appellation | null) => void;
  /** Every keystroke, for forms that keep free text while the list is unavailable. */
  onTextChange?: (text: string) => void;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
}

/** Job title type-ahead on the ROME appellations, offline once the referential is cached. */
export function AppellationInput({
  value,
  onChange,
  onTextChange,
  placeholder,
  ...field
}: AppellationInputProps) {
  const valueText = appellationText(value);
  const { text, type, settle } = useComboboxText(valueText);
  const query = value && text === valueText ? appellationQuery(value) : text;
  const suggestions = useAppellationSuggestions(query);
  return (
    <ReferenceCombobox
      {...field}
      placeholder={placeholder ?? 'Métier, par exemple « boulanger » ou un code ROME'}
      text={text}
      onTextChange={(t) => {
        type(t);
        onTextChange?.(t);
        if (value) onChange(null);
      }}
      suggestions={suggestions}
      optionKey={(a) => a.codeOgr}
      renderOption={(a) => (
        <>
          <span className="ref-combobox__main">{a.label}</span>
          <span className="ref-combobox__detail">
            <span className="ref-combobox__code">{a.romeCode}</span>
            {a.romeLabel ? ` · ${a.romeLabel}` : ''}
          </span>
        </>
      )}
      onSelect={(a) => {
        settle(appellationText(a));
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
