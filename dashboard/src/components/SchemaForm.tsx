/**
 * Form fields generated from a plugin's settings JSON Schema (GET /api/v1/plugins): strings, numbers, booleans and
 * enums. Secrets (`writeOnly`) are password inputs that are never pre-filled; left empty on an edit they keep the
 * stored value.
 */
import type { JsonSchema } from '../lib/types';

/** The plugin's own title for a field (plugins/sdk/titles.ts); the key spelled out only for a schema without one. */
export const fieldLabel = (key: string, schema: JsonSchema) =>
  schema.title ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

const typeOf = (schema: JsonSchema) =>
  Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;

// Typed as one literal: Preact's input typings are a union narrowed by `type`, which a computed value cannot satisfy.
const inputType = (secret: boolean, type: string | undefined): 'text' =>
  (secret ? 'password' : type === 'number' || type === 'integer' ? 'number' : 'text') as 'text';

export function SchemaFields({
  schema,
  values = {},
  secretsSet = [],
  prefix = 'settings.',
}: {
  schema: JsonSchema;
  values?: Record<string, unknown>;
  secretsSet?: string[];
  prefix?: string;
}) {
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, property]) => {
        const name = `${prefix}${key}`;
        const value = values[key] ?? property.default;
        const type = typeOf(property);
        const hint = property.description && <span class="field-hint">{property.description}</span>;
        if (type === 'boolean') {
          return (
            <label key={key} class="checkbox">
              <input type="checkbox" name={name} checked={value === true} value="true" />
              {fieldLabel(key, property)}
              {hint}
            </label>
          );
        }
        if (property.enum) {
          return (
            <label key={key}>
              {fieldLabel(key, property)}
              <select name={name} value={String(value ?? '')} required={required.has(key)}>
                {!required.has(key) && <option value="">—</option>}
                {property.enum.map((option) => (
                  <option key={String(option)}>{String(option)}</option>
                ))}
              </select>
              {hint}
            </label>
          );
        }
        const secret = property.writeOnly === true;
        const stored = secret && secretsSet.includes(key);
        return (
          <label key={key}>
            {fieldLabel(key, property)}
            {secret && stored && <span class="muted small"> (stored — leave empty to keep)</span>}
            <input
              name={name}
              type={inputType(secret, type)}
              autocomplete={secret ? ('new-password' as const) : ('off' as const)}
              value={secret ? '' : value === undefined ? '' : String(value)}
              required={required.has(key) && !stored && property.default === undefined}
              min={property.minimum}
              max={property.maximum}
              // Without it a number field accepts only whole steps from min (HTML's default step is 1).
              step={type === 'number' ? 'any' : undefined}
            />
            {hint}
          </label>
        );
      })}
    </>
  );
}

/** Reads the generated fields back into a settings object: empty fields are left out (defaults / kept secrets). */
export function readSchemaFields(
  form: HTMLFormElement,
  schema: JsonSchema,
  prefix = 'settings.',
): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const element = form.elements.namedItem(`${prefix}${key}`) as HTMLInputElement | HTMLSelectElement | null;
    if (!element) continue;
    const type = typeOf(property);
    if (type === 'boolean') {
      settings[key] = (element as HTMLInputElement).checked;
      continue;
    }
    const raw = element.value.trim();
    if (raw === '') continue;
    settings[key] = type === 'number' || type === 'integer' ? Number(raw) : raw;
  }
  return settings;
}
