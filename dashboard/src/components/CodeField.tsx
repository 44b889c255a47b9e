/**
 * A code editor without an editor library: a transparent textarea over a <pre> holding the same text highlighted
 * (views/pipeline/highlight.ts). The textarea does the editing, selection and accessibility; the <pre> only paints.
 */
import { tokenize } from '../lib/highlight';

export function CodeField({
  id,
  value,
  onInput,
  label,
  invalid,
}: {
  id: string;
  value: string;
  onInput: (value: string) => void;
  label: string;
  invalid?: boolean;
}) {
  return (
    <div class="code-field">
      <pre aria-hidden="true">
        {tokenize(value).map((token, index) =>
          token.kind === 'plain' ? (
            token.text
          ) : (
            <span key={index} class={`tok-${token.kind}`}>
              {token.text}
            </span>
          ),
        )}
        {/* A trailing newline in a textarea shows an empty line; a <pre> collapses it without this. */}
        {'\n'}
      </pre>
      <textarea
        id={id}
        aria-label={label}
        aria-invalid={invalid || undefined}
        spellcheck={false}
        value={value}
        rows={Math.min(20, Math.max(4, value.split('\n').length + 1))}
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Tab indents inside the editor; Escape then Tab leaves it (WCAG 2.1.2: no keyboard trap).
          if (e.key !== 'Tab' || e.shiftKey || e.currentTarget.dataset.escaped === '1') return;
          e.preventDefault();
          const area = e.currentTarget;
          const { selectionStart: start, selectionEnd: end } = area;
          area.setRangeText('  ', start, end, 'end');
          onInput(area.value);
        }}
        onKeyUp={(e) => {
          e.currentTarget.dataset.escaped =
            e.key === 'Escape' ? '1' : e.key === 'Tab' ? e.currentTarget.dataset.escaped : '';
        }}
      />
    </div>
  );
}
