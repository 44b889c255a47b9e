/**
 * A tiny JavaScript highlighter for the code node's editor (a textarea over a highlighted <pre>): one regex pass
 * into comment, string, number, keyword and plain tokens. ~1 KB instead of an editor library's hundreds.
 */
export type TokenKind = 'comment' | 'string' | 'number' | 'keyword' | 'plain';

export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set(
  'async await break case catch class const continue default delete do else export false for function if import in instanceof let new null of return switch this throw true try typeof undefined var void while yield'.split(
    ' ',
  ),
);

const TOKEN =
  /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\[\s\S])*`?)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b)|([A-Za-z_$][\w$]*)/g;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  const plain = (text: string) => {
    if (!text) return;
    const previous = tokens.at(-1);
    if (previous?.kind === 'plain') previous.text += text;
    else tokens.push({ kind: 'plain', text });
  };
  for (const match of source.matchAll(TOKEN)) {
    plain(source.slice(last, match.index));
    const [text, comment, string, number, word] = match;
    if (comment) tokens.push({ kind: 'comment', text });
    else if (string) tokens.push({ kind: 'string', text });
    else if (number) tokens.push({ kind: 'number', text });
    else if (word && KEYWORDS.has(word)) tokens.push({ kind: 'keyword', text });
    else plain(text);
    last = match.index + text.length;
  }
  plain(source.slice(last));
  return tokens;
}
