/**
 * The filter form above a list: each field edits one query parameter of the view's hash URL (an empty value removes
 * it), so a filtered list can be bookmarked and shared. Views describe their fields; the list reads the same names
 * back with `filterValues`.
 */
import { setParams } from '../lib/router';

interface FieldBase {
  /** The query parameter, as the API names it (`chatbotId`, `from`, …). */
  name: string;
  label: string;
}

export interface InputFilter extends FieldBase {
  type?: 'text' | 'date';
  placeholder?: string;
}

export interface SelectFilter extends FieldBase {
  /** The label of the empty choice ("All", "Any"), which removes the filter. */
  anyLabel: string;
  /** `[value, label]` of each choice. */
  options: readonly (readonly [value: string, label: string])[];
}

export type FilterField = InputFilter | SelectFilter;

const isSelect = (field: FilterField): field is SelectFilter => 'options' in field;

/** `{ name: value | null }` for each field, ready for `query()`. */
export function filterValues(params: URLSearchParams, fields: readonly FilterField[]): Record<string, string | null> {
  return Object.fromEntries(fields.map((field) => [field.name, params.get(field.name)]));
}

/** The control of one field; `id` ties it to the label that wraps it. */
function FilterControl({ id, field, value }: { id: string; field: FilterField; value: string }) {
  const onChange = (event: Event) =>
    setParams({ [field.name]: (event.target as HTMLInputElement | HTMLSelectElement).value || null });
  if (isSelect(field))
    return (
      <select id={id} value={value} onChange={onChange}>
        <option value="">{field.anyLabel}</option>
        {field.options.map(([option, label]) => (
          <option key={option} value={option}>
            {label}
          </option>
        ))}
      </select>
    );
  if (field.type === 'date') return <input id={id} type="date" value={value} onChange={onChange} />;
  return <input id={id} value={value} onChange={onChange} placeholder={field.placeholder} />;
}

export function FilterBar({ params, fields }: { params: URLSearchParams; fields: readonly FilterField[] }) {
  return (
    <form class="card filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      {fields.map((field) => (
        // A page shows one filter bar, so the parameter name makes a unique id.
        <label key={field.name} htmlFor={`filter-${field.name}`}>
          {field.label}
          <FilterControl id={`filter-${field.name}`} field={field} value={params.get(field.name) ?? ''} />
        </label>
      ))}
    </form>
  );
}
