import type { ReactNode } from 'react';
import { coordinateNote } from '../../../../shared/domain/reference';
import { ReferenceCombobox } from './ReferenceCombobox';
import {
  type CommuneValue,
  communeNote,
  communeQuery,
  communeText,
  type SelectedCommune,
  toSelectedCommune,
} from './reference-values';
import { useComboboxText } from './use-combobox-text';
import { useCommuneSuggestions } from './use-reference-suggestions';

export interface CommuneInputProps {
  id: string;
  label: string;
  value: CommuneValue | null;
  /** The commune chosen (with the postal code picked and its position), or null once the text changes. */
  onChange: (commune: SelectedCommune | null) => void;
  /** Every keystroke, for forms that keep free text while the list is unavailable. */
  onTextChange?: (text: string) => void;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
}

/** Commune type-ahead, by name or postal code, offline once the referential is cached. */
export function CommuneInput({ value, onChange, onTextChange, placeholder, ...field }: CommuneInputProps) {
  const valueText = communeText(value);
  const { text, type, settle } = useComboboxText(valueText);
  const query = value && text === valueText ? communeQuery(value) : text;
  const suggestions = useCommuneSuggestions(query);
  return (
    <ReferenceCombobox
      {...field}
      placeholder={placeholder ?? 'Nom de la commune ou code postal'}
      text={text}
      onTextChange={(t) => {
        type(t);
        onTextChange?.(t);
        if (value) onChange(null);
      }}
      suggestions={suggestions}
      optionKey={(c) => `${c.code}-${c.postalCode}`}
      renderOption={(c) => {
        const note = coordinateNote(c.coordinateSource);
        return (
          <>
            <span className="ref-combobox__main">
              {c.name} <span className="ref-combobox__code">{c.postalCode}</span>
            </span>
            <span className="ref-combobox__detail">
              {c.departementName} ({c.departement}){note ? ` · ${note}` : ''}
            </span>
          </>
        );
      }}
      onSelect={(c) => {
        const selected = toSelectedCommune(c);
        settle(communeText(selected));
        onChange(selected);
      }}
      onClear={() => {
        settle('');
        onTextChange?.('');
        onChange(null);
      }}
      note={communeNote(value)}
    />
  );
}
