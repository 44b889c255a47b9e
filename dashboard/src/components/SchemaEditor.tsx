/**
 * A controlled form generated from a JSON Schema: the node settings panel of the pipeline editor. It grows the
 * channel forms' SchemaFields (SchemaForm.tsx, uncontrolled, flat) to nested objects, arrays, enums, code fields
 * with highlighting and prompt fields that list the variables a template can use. Each change calls `onChange` with
 * the whole new value, which the editor keeps in its undo history.
 */
import type { JsonSchema } from '../lib/types';
import { CodeField } from './CodeField';
import { type CollectionChoice, CollectionPicker } from './CollectionPicker';
import { fieldLabel } from './SchemaForm';
import { emptyValue, enumOptions, fieldKind, parseNumber, unwrapNullable, withKey } from './schema-fields';
import { FunctionPicker, selectedIds, ToolPicker, ToolSelect } from './ToolPicker';
import { chosenFunctions, type ToolCatalog } from './tool-catalog';

export interface SchemaEditorProps {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  /** Messages per field path (`model`, `rules[0].port`), from the server's validation. */
  errors?: ReadonlyMap<string, string[]>;
  /** Shown under prompt fields: what `{{ … }}` can name. */
  variables?: readonly string[];
  /** The team's knowledge collections, for `collectionIds` fields; without them those are plain lists of ids. */
  collections?: readonly CollectionChoice[];
  /** The team's tool catalog, for `tools`, `approval.functions` and a Tool node's `tool`; without it, plain fields. */
  toolCatalog?: ToolCatalog;
  idPrefix: string;
}

/** What every field sees: the editor's context and the whole value (a field may depend on a sibling's). */
type EditorContext = Omit<SchemaEditorProps, 'schema' | 'value' | 'onChange'> & { root: Record<string, unknown> };

interface FieldProps {
  path: string;
  name: string;
  schema: JsonSchema;
  value: unknown;
  required: boolean;
  onChange: (value: unknown) => void;
  ctx: EditorContext;
}

const domId = (prefix: string, path: string) => `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function Errors({ path, ctx }: { path: string; ctx: EditorContext }) {
  const messages = ctx.errors?.get(path);
  if (!messages?.length) return null;
  return (
    <span class="field-error" id={`${domId(ctx.idPrefix, path)}-error`} role="alert">
      {messages.join(' ')}
    </span>
  );
}

function Field({ path, name, schema: input, value, required, onChange, ctx }: FieldProps) {
  const schema = unwrapNullable(input);
  const detected = fieldKind(name, schema);
  const kind =
    (detected === 'collections' && !ctx.collections) || (detected === 'tools' && !ctx.toolCatalog) ? 'array' : detected;
  const id = domId(ctx.idPrefix, path);
  const label = `${fieldLabel(name, schema)}${required ? '' : ' (optional)'}`;
  const invalid = (ctx.errors?.get(path)?.length ?? 0) > 0;
  const described = invalid ? `${id}-error` : undefined;
  const hint = schema.description && <span class="field-hint">{schema.description}</span>;

  if (kind === 'object') {
    const object = (value ?? {}) as Record<string, unknown>;
    return (
      <fieldset class="schema-object">
        <legend>{label}</legend>
        {hint}
        <Fields schema={schema} value={object} onChange={onChange} base={path} ctx={ctx} />
        <Errors path={path} ctx={ctx} />
      </fieldset>
    );
  }
  if (kind === 'collections' && ctx.collections) {
    return (
      <CollectionPicker
        id={id}
        label={label}
        hint={hint}
        schema={schema}
        value={value}
        collections={ctx.collections}
        onChange={onChange}
        errors={<Errors path={path} ctx={ctx} />}
      />
    );
  }
  if (kind === 'tools' && ctx.toolCatalog) {
    return (
      <ToolPicker
        id={id}
        label={label}
        hint={hint}
        schema={schema}
        value={value}
        catalog={ctx.toolCatalog}
        onChange={onChange}
        errors={<Errors path={path} ctx={ctx} />}
      />
    );
  }
  if (path === 'approval.functions' && ctx.toolCatalog && kind === 'array') {
    return (
      <FunctionPicker
        id={id}
        label={label}
        hint={hint}
        value={value}
        functions={chosenFunctions(ctx.toolCatalog, selectedIds(ctx.root.tools))}
        onChange={onChange}
        errors={<Errors path={path} ctx={ctx} />}
      />
    );
  }
  if (kind === 'array' && schema.items) {
    const items = Array.isArray(value) ? value : [];
    const item = schema.items;
    const set = (next: unknown[]) => onChange(next);
    return (
      <fieldset class="schema-array">
        <legend>{label}</legend>
        {hint}
        {items.map((entry, index) => (
          <div key={index} class="schema-array-item">
            <Field
              path={`${path}[${index}]`}
              name={`${fieldLabel(name, schema).replace(/s$/, '')} ${index + 1}`}
              schema={item}
              value={entry}
              required
              onChange={(next) => set(items.map((old, i) => (i === index ? next : old)))}
              ctx={ctx}
            />
            <button
              type="button"
              class="button subtle small"
              aria-label={`Remove ${fieldLabel(name, schema)} ${index + 1}`}
              onClick={() => set(items.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          </div>
        ))}
        {(schema.maxItems === undefined || items.length < schema.maxItems) && (
          <button type="button" class="button subtle small" onClick={() => set([...items, emptyValue(item)])}>
            Add {fieldLabel(name, schema).replace(/s$/, '').toLowerCase()}
          </button>
        )}
        <Errors path={path} ctx={ctx} />
      </fieldset>
    );
  }
  if (kind === 'boolean') {
    return (
      <label class="checkbox">
        <input type="checkbox" id={id} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />
        {label}
        {hint}
        <Errors path={path} ctx={ctx} />
      </label>
    );
  }
  if (kind === 'enum') {
    const options = enumOptions(schema);
    const index = options.indexOf(value);
    return (
      <label>
        {label}
        <select
          id={id}
          aria-invalid={invalid || undefined}
          aria-describedby={described}
          value={index === -1 ? '' : String(index)}
          onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : options[Number(e.currentTarget.value)])}
        >
          {(!required || index === -1) && <option value="">—</option>}
          {options.map((option, i) => (
            <option key={String(option)} value={String(i)}>
              {String(option)}
            </option>
          ))}
        </select>
        {hint}
        <Errors path={path} ctx={ctx} />
      </label>
    );
  }
  if (kind === 'code') {
    return (
      <div class="field">
        <label for={id}>{label}</label>
        <CodeField id={id} label={label} value={String(value ?? '')} onInput={onChange} invalid={invalid} />
        {hint}
        <Errors path={path} ctx={ctx} />
      </div>
    );
  }
  if (kind === 'json') {
    return (
      <label>
        {label} <span class="muted small">(JSON)</span>
        <textarea
          id={id}
          rows={3}
          aria-invalid={invalid || undefined}
          aria-describedby={described}
          value={value === undefined ? '' : JSON.stringify(value, null, 2)}
          onChange={(e) => {
            const text = e.currentTarget.value.trim();
            if (text === '') return onChange(undefined);
            try {
              onChange(JSON.parse(text));
            } catch {
              e.currentTarget.setCustomValidity('Not valid JSON');
              e.currentTarget.reportValidity();
            }
          }}
          onInput={(e) => e.currentTarget.setCustomValidity('')}
        />
        {hint}
        <Errors path={path} ctx={ctx} />
      </label>
    );
  }
  if (kind === 'prompt' || kind === 'textarea') {
    return (
      <label>
        {label}
        <textarea
          id={id}
          rows={kind === 'prompt' ? 4 : 3}
          aria-invalid={invalid || undefined}
          aria-describedby={described}
          maxLength={schema.maxLength}
          value={String(value ?? '')}
          onInput={(e) => onChange(e.currentTarget.value === '' && !required ? undefined : e.currentTarget.value)}
        />
        {hint}
        {kind === 'prompt' && ctx.variables && ctx.variables.length > 0 && (
          <span class="field-hint variables">
            Variables:{' '}
            {ctx.variables.map((name) => (
              <code key={name}>{`{{ ${name} }}`}</code>
            ))}
          </span>
        )}
        <Errors path={path} ctx={ctx} />
      </label>
    );
  }
  const number = kind === 'number';
  return (
    <label>
      {label}
      <input
        id={id}
        type={(number ? 'number' : 'text') as 'text'}
        aria-invalid={invalid || undefined}
        aria-describedby={described}
        value={value === undefined || value === null ? '' : String(value)}
        placeholder={schema.default !== undefined ? String(schema.default) : undefined}
        min={schema.minimum}
        max={schema.maximum}
        maxLength={schema.maxLength}
        step={number ? 'any' : undefined}
        onInput={(e) => {
          const text = e.currentTarget.value;
          onChange(number ? parseNumber(text, schema) : text === '' && !required ? undefined : text);
        }}
      />
      {hint}
      <Errors path={path} ctx={ctx} />
    </label>
  );
}

function Fields({
  schema,
  value,
  onChange,
  base,
  ctx,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  base: string;
  ctx: EditorContext;
}) {
  const required = new Set(schema.required ?? []);
  const catalog = ctx.toolCatalog;
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, property]) =>
        // A Tool node's `tool` picks one function of the catalog, which sets `function` beside it.
        key === 'tool' && base === '' && catalog && property.type === 'string' ? (
          <ToolSelect
            key={key}
            id={domId(ctx.idPrefix, key)}
            label={fieldLabel(key, property)}
            hint={property.description && <span class="field-hint">{property.description}</span>}
            tool={value.tool}
            fn={value.function}
            catalog={catalog}
            onChange={(tool, fn) => onChange(withKey(withKey(value, 'tool', tool), 'function', fn))}
            errors={<Errors path={key} ctx={ctx} />}
          />
        ) : (
          <Field
            key={key}
            path={base ? `${base}.${key}` : key}
            name={key}
            schema={property}
            value={value[key]}
            required={required.has(key)}
            onChange={(next) => onChange(withKey(value, key, next))}
            ctx={ctx}
          />
        ),
      )}
    </>
  );
}

export function SchemaEditor({ schema, value, onChange, ...ctx }: SchemaEditorProps) {
  return <Fields schema={schema} value={value} onChange={onChange} base="" ctx={{ ...ctx, root: value }} />;
}
