/**
 * The settings editor's field for `collectionIds` (schema-fields.ts): the team's knowledge collections as
 * checkboxes, by name, within the schema's min/max items. An id that names no collection any more (deleted, or
 * another team's in a pasted definition) stays listed and ticked so it is visible and can be removed.
 */
import type { ComponentChildren } from 'preact';
import type { JsonSchema } from '../lib/types';

export interface CollectionChoice {
  id: string;
  name: string;
}

interface Props {
  id: string;
  label: string;
  hint: ComponentChildren;
  schema: JsonSchema;
  value: unknown;
  collections: readonly CollectionChoice[];
  onChange: (value: string[]) => void;
  errors: ComponentChildren;
}

export function CollectionPicker({ id, label, hint, schema, value, collections, onChange, errors }: Props) {
  const selected = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const known = new Set(collections.map((c) => c.id));
  const choices = [...collections, ...selected.filter((v) => !known.has(v)).map((v) => ({ id: v, name: '' }))];
  const full = schema.maxItems !== undefined && selected.length >= schema.maxItems;
  const toggle = (collectionId: string, on: boolean) =>
    onChange(on ? [...selected, collectionId] : selected.filter((v) => v !== collectionId));
  return (
    <fieldset class="schema-array collection-picker" id={id}>
      <legend>{label}</legend>
      {hint}
      {choices.length === 0 && (
        <p class="muted small">
          No knowledge collections yet: create one under <a href="#/knowledge">Knowledge</a>.
        </p>
      )}
      {choices.map((choice) => {
        const checked = selected.includes(choice.id);
        return (
          <label key={choice.id} class="checkbox">
            <input
              type="checkbox"
              checked={checked}
              disabled={!checked && full}
              onChange={(event) => toggle(choice.id, event.currentTarget.checked)}
            />
            {choice.name || <span class="field-error">{choice.id} (no such collection)</span>}
          </label>
        );
      })}
      {full && <span class="field-hint">At most {schema.maxItems} collections.</span>}
      {errors}
    </fieldset>
  );
}
