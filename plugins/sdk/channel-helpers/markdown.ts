/**
 * A small markdown tokenizer shared by the channel formatters: it pulls fenced code, inline code and links out of
 * the text first, so the emphasis rules and the platform's escaping never touch code or URLs.
 */
export type Segment =
  | { type: 'text'; text: string }
  | { type: 'code-block'; language: string; code: string }
  | { type: 'code'; code: string }
  | { type: 'link'; label: string; url: string };

const TOKEN = /```([^\n`]*)\n?([\s\S]*?)```|`([^`\n]+)`|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g;

export function segments(markdown: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of markdown.matchAll(TOKEN)) {
    const at = match.index ?? 0;
    if (at > last) out.push({ type: 'text', text: markdown.slice(last, at) });
    if (match[2] !== undefined) {
      out.push({ type: 'code-block', language: (match[1] ?? '').trim(), code: match[2].replace(/\n$/, '') });
    } else if (match[3] !== undefined) out.push({ type: 'code', code: match[3] });
    else out.push({ type: 'link', label: match[4] ?? '', url: match[5] ?? '' });
    last = at + match[0].length;
  }
  if (last < markdown.length) out.push({ type: 'text', text: markdown.slice(last) });
  return out;
}

export interface EmphasisMarks {
  bold: [string, string];
  italic: [string, string];
  strike: [string, string];
  heading: [string, string];
}

/**
 * Rewrites markdown emphasis, headings and bullets in plain text (no code, no links) using `marks`, and runs
 * `escapeLiteral` on every literal character (never on the marks), so the platform's own special characters are
 * neutralised. Backslash escapes (`\*`) stay literal.
 */
export function emphasis(text: string, marks: EmphasisMarks, escapeLiteral: (text: string) => string): string {
  const literals: string[] = [];
  const hold = (value: string) => `\u0000${literals.push(value) - 1}\u0000`;
  const wrap =
    ([open, close]: [string, string]) =>
    (_: string, inner: string) =>
      hold(open) + inner + hold(close);
  const wrapAfter =
    ([open, close]: [string, string]) =>
    (_: string, before: string, inner: string) =>
      before + hold(open) + inner + hold(close);
  // Marks are swapped for placeholders on the raw text, then only the literal text is escaped.
  let out = text.replace(/\\([\\`*_~[\]#])/g, (_, char: string) => hold(escapeLiteral(char)));
  out = out.replace(/^#{1,6}[ \t]+(.+)$/gm, wrap(marks.heading));
  out = out.replace(/^([ \t]*)[-*+][ \t]+/gm, (_, indent: string) => `${indent}${hold('• ')}`);
  out = out.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, wrap(marks.bold));
  out = out.replace(/__(?=\S)([\s\S]*?\S)__/g, wrap(marks.bold));
  out = out.replace(/~~(?=\S)([\s\S]*?\S)~~/g, wrap(marks.strike));
  out = out.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, wrapAfter(marks.italic));
  out = out.replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, wrapAfter(marks.italic));
  out = escapeLiteral(out);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL delimits placeholders and never occurs in text.
  return out.replace(/\u0000(\d+)\u0000/g, (_, index: string) => literals[Number(index)] ?? '');
}
