/**
 * The settings editor's field for an LLM node's `tools` (schema-fields.ts): the team's tool catalog grouped by source,
 * with a search, descriptions, a checkbox per whole set (`builtin:calculator`, `mcp:<id>`) and per single tool where
 * one can be named alone (`mcp:<id>/<tool>`). Ids already in the draft that the catalog does not know stay listed as
 * "missing", ticked, so they are seen and can be removed rather than silently dropped.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { JsonSchema } from '../lib/types';
import { groupedTools, missingIds, type ToolCatalog, toggleTool } from './tool-catalog';

interface Props {
  id: string;
  label: string;
  hint: ComponentChildren;
  schema: JsonSchema;
  value: unknown;
  catalog: ToolCatalog;
  onChange: (value: string[]) => void;
  errors: ComponentChildren;
}

export const selectedIds = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function ToolPicker({ id, label, hint, schema, value, catalog, onChange, errors }: Props) {
  const [query, setQuery] = useState('');
  const selected = selectedIds(value);
  const full = schema.maxItems !== undefined && selected.length >= schema.maxItems;
  const set = (toolId: string, on: boolean) => onChange(toggleTool(catalog, selected, toolId, on));
  const missing = missingIds(catalog, selected);
  const groups = groupedTools(catalog, query);
  return (
    <fieldset class="schema-array tool-picker" id={id}>
      <legend>{label}</legend>
      {hint}
      <p class="field-hint">
        {selected.length === 0 ? 'No tools chosen.' : `Chosen: ${selected.length}.`} Tick a whole set, or single tools
        of an MCP server or custom action.
      </p>
      <label>
        Search tools
        <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </label>
      {missing.map((toolId) => (
        <label key={toolId} class="checkbox tool-missing">
          <input type="checkbox" checked onChange={() => set(toolId, false)} />
          <code>{toolId}</code> <span class="field-error">missing: not one of this team’s tools</span>
        </label>
      ))}
      {groups.length === 0 && <p class="muted small">No tool matches “{query}”.</p>}
      {groups.map(({ group, tools }) => {
        const whole = selected.includes(group.id);
        return (
          <div key={group.id} class="tool-group">
            <label class="checkbox tool-group-title">
              <input
                type="checkbox"
                checked={whole}
                disabled={!whole && full}
                onChange={(e) => set(group.id, e.currentTarget.checked)}
              />
              <strong>{group.title}</strong> <code class="small">{group.id}</code>
              <span class="badge">{group.kind.replace('_', ' ')}</span>
            </label>
            <p class="muted small tool-description">{group.description}</p>
            {group.needsConfiguration && <p class="field-error small">{group.needsConfiguration}</p>}
            <ul class="tool-functions">
              {tools.map((tool) => {
                const alone = tool.id !== null && selected.includes(tool.id);
                return (
                  <li key={`${group.id}/${tool.name}`}>
                    {tool.id === null ? (
                      <span class="small">
                        <code>{tool.name}</code>
                      </span>
                    ) : (
                      <label class="checkbox small">
                        <input
                          type="checkbox"
                          checked={whole || alone}
                          disabled={whole || (!alone && full)}
                          aria-label={`${tool.name} (${group.title})`}
                          onChange={(e) => tool.id && set(tool.id, e.currentTarget.checked)}
                        />
                        <code>{tool.name}</code>
                      </label>
                    )}
                    {tool.description && <span class="muted small"> — {tool.description}</span>}
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
      {full && <span class="field-hint">At most {schema.maxItems} tools.</span>}
      {errors}
    </fieldset>
  );
}

/** The approval list (`approval.functions`) as checkboxes of the functions the chosen tools give. */
export function FunctionPicker(props: {
  id: string;
  label: string;
  hint: ComponentChildren;
  value: unknown;
  functions: readonly string[];
  onChange: (value: string[]) => void;
  errors: ComponentChildren;
}) {
  const selected = selectedIds(props.value);
  const names = [...props.functions, ...selected.filter((name) => !props.functions.includes(name))];
  return (
    <fieldset class="schema-array function-picker" id={props.id}>
      <legend>{props.label}</legend>
      {props.hint}
      {names.length === 0 && <p class="muted small">Choose tools first: their functions are listed here.</p>}
      {names.map((name) => {
        const checked = selected.includes(name);
        return (
          <label key={name} class="checkbox">
            <input
              type="checkbox"
              checked={checked}
              onChange={(e) =>
                props.onChange(e.currentTarget.checked ? [...selected, name] : selected.filter((v) => v !== name))
              }
            />
            <code>{name}</code>
            {!props.functions.includes(name) && <span class="field-error"> not a function of the chosen tools</span>}
          </label>
        );
      })}
      {props.errors}
    </fieldset>
  );
}

/** The Tool node's `tool` (and `function`): one function of the catalog, by group. */
export function ToolSelect(props: {
  id: string;
  label: string;
  hint: ComponentChildren;
  tool: unknown;
  fn: unknown;
  catalog: ToolCatalog;
  onChange: (tool: string, fn: string | undefined) => void;
  errors: ComponentChildren;
}) {
  const tool = typeof props.tool === 'string' ? props.tool : '';
  const fn = typeof props.fn === 'string' ? props.fn : undefined;
  const options = props.catalog.tools.map((entry) => ({
    key: `${entry.id ?? entry.group}#${entry.name}`,
    tool: entry.id ?? entry.group,
    fn: entry.name,
    entry,
  }));
  // `mcp:<id>` with a `function` names the same function as `mcp:<id>/<tool>`: either shows as chosen.
  const current = options.find(
    (option) =>
      (option.tool === tool && (fn === undefined || option.fn === fn)) ||
      (option.entry.group === tool && fn !== undefined && option.fn === fn),
  );
  const known = current !== undefined;
  return (
    <label>
      {props.label}
      <select
        id={props.id}
        value={known ? current.key : '__missing'}
        onChange={(e) => {
          const chosen = options.find((option) => option.key === e.currentTarget.value);
          if (chosen) props.onChange(chosen.tool, chosen.entry.id === chosen.tool ? undefined : chosen.fn);
        }}
      >
        {!known && <option value="__missing">{tool ? `${tool} (missing)` : 'Choose a tool…'}</option>}
        {props.catalog.groups.map((group) => (
          <optgroup key={group.id} label={group.title}>
            {options
              .filter((option) => option.entry.group === group.id)
              .map((option) => (
                <option key={option.key} value={option.key}>
                  {option.fn} — {option.tool}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      {current?.entry.description && <span class="field-hint">{current.entry.description}</span>}
      {props.hint}
      {props.errors}
    </label>
  );
}
