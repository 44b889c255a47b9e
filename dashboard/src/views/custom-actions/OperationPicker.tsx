import type { ActionOperationRow } from './api';

/** The spec's operations with a checkbox each: the checked ones become the chatbot's tools. */
export function OperationPicker({
  operations,
  selected,
  onChange,
}: {
  operations: readonly Omit<ActionOperationRow, 'selected'>[];
  selected: ReadonlySet<string>;
  onChange: (selected: Set<string>) => void;
}) {
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onChange(next);
  };
  return (
    <fieldset class="operation-picker">
      <legend>
        Operations ({selected.size} of {operations.length} selected)
      </legend>
      <ul class="operations">
        {operations.map((op) => (
          <li key={op.operationId}>
            <label class="checkbox">
              <input
                type="checkbox"
                checked={selected.has(op.operationId)}
                onChange={(e) => toggle(op.operationId, (e.target as HTMLInputElement).checked)}
              />
              <span class={`method method-${op.method}`}>{op.method.toUpperCase()}</span>
              <code>{op.path}</code>
              <span class="muted">{op.summary || op.toolName}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
