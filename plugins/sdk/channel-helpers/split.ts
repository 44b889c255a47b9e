/**
 * One splitter for every channel: cuts a markdown reply into chunks of at most `limit` characters, preferring
 * paragraph breaks, then line breaks, then spaces, so words are never cut. A chunk that ends inside a ``` fence is
 * closed and the next chunk reopens it with the same language; inline `**`, `__`, `~~` and backtick spans are not cut
 * when a boundary outside them exists. Only a single word longer than `limit` is cut hard (there is no alternative).
 */
const FENCE = /^\s*```(\S*)/;

/** Fence language open at the end of `text`, or null when no fence is open. */
function openFence(text: string): string | null {
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const match = FENCE.exec(line);
    if (match) open = open === null ? (match[1] ?? '') : null;
  }
  return open;
}

/** True when cutting after `text` would leave an inline span open. */
function leavesInlineSpanOpen(text: string): boolean {
  const withoutFences = text.replace(/```[\s\S]*?```/g, '');
  const count = (marker: RegExp) => (withoutFences.match(marker) ?? []).length;
  return count(/\*\*/g) % 2 === 1 || count(/__/g) % 2 === 1 || count(/~~/g) % 2 === 1 || count(/`/g) % 2 === 1;
}

/** Best cut index in `text` within `max` characters (the cut keeps text[0, index)). */
function cutIndex(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  for (const separator of ['\n\n', '\n', ' ']) {
    let fallback = -1;
    for (let at = window.lastIndexOf(separator); at > 0; at = window.lastIndexOf(separator, at - 1)) {
      if (at > max) continue;
      const head = text.slice(0, at);
      if (openFence(head) === null && !leavesInlineSpanOpen(head)) return at;
      if (fallback < 0 && (separator !== ' ' || !leavesInlineSpanOpen(head))) fallback = at;
    }
    if (fallback > 0 && separator === '\n') return fallback; // inside a fence: cut at a line, re-fence below
  }
  const space = window.lastIndexOf(' ', max);
  return space > 0 ? space : max;
}

export function splitMessage(text: string, limit: number): string[] {
  if (!Number.isInteger(limit) || limit < 16) throw new Error(`Split limit ${limit} is too small`);
  const chunks: string[] = [];
  let rest = text.trim();
  let reopen = '';
  while (rest.length > 0) {
    const body = reopen + rest;
    if (body.length <= limit) {
      chunks.push(body);
      break;
    }
    // Room for a closing "\n```" should this chunk end inside a fence.
    const at = cutIndex(body, limit - 4);
    let chunk = body.slice(0, at).trimEnd();
    const fence = openFence(chunk);
    if (fence !== null) chunk += '\n```';
    chunks.push(chunk);
    rest = body.slice(at).replace(/^\s+/, '');
    reopen = fence !== null ? `\`\`\`${fence}\n` : '';
  }
  return chunks.filter((chunk) => chunk.trim() !== '');
}

/**
 * Splits markdown, formats each chunk, and re-splits any chunk whose formatted form (escapes, tags) outgrows the
 * limit, so every returned string is already in the platform's format and within `limit`.
 */
export function splitFormatted(markdown: string, limit: number, format: (chunk: string) => string): string[] {
  const out: string[] = [];
  const visit = (chunk: string, budget: number): void => {
    const formatted = format(chunk);
    if (formatted.length <= limit) {
      if (formatted.trim() !== '') out.push(formatted);
      return;
    }
    const smaller = Math.max(16, Math.floor(budget * (limit / formatted.length)) - 8);
    for (const part of splitMessage(chunk, smaller)) visit(part, smaller);
  };
  for (const chunk of splitMessage(markdown, limit)) visit(chunk, limit);
  return out;
}
