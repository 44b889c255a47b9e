/**
 * A tiny interpreter for the README's shell blocks: enough sh (variables, `$(…)`, quotes, `;`, line continuations,
 * comments) and curl (-s -N -X -H -d and a URL) to run them against the Worker in workerd. What the README pipes
 * into `node -p` is evaluated for the two forms it uses: a value of `.dev/seed.json`, and a path into the JSON read
 * from stdin.
 */

export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ShellHost {
  /** `.dev/seed.json` as `npm start` writes it. */
  seed: Record<string, unknown>;
  /** Runs a request against the Worker; answers the response body. */
  fetch(request: CurlRequest): Promise<string>;
}

/** The ```sh blocks of a Markdown file (indented ones too), in order. */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^([ \t]*)```sh\n([\s\S]*?)^\1```/gm)].map(([, indent = '', body = '']) =>
    body
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n'),
  );
}

type Word = { text: string; substitutions: string[] };

/** Splits a script into statements (newlines and `;` outside quotes), continuations joined, comments dropped. */
export function statements(script: string): string[] {
  const joined = script.replace(/\\\n/g, ' ');
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < joined.length; i++) {
    const ch = joined[i] ?? '';
    if (quote) {
      current += ch;
      if (ch === '\\' && quote === '"') current += joined[++i] ?? '';
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    if (ch === '$' && joined[i + 1] === '(') depth++;
    if (ch === ')' && depth > 0) depth--;
    if (ch === '#' && depth === 0 && (current === '' || /\s$/.test(current))) {
      while (i < joined.length && joined[i] !== '\n') i++;
      i--;
      continue;
    }
    if ((ch === '\n' || ch === ';') && depth === 0) {
      if (current.trim()) out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Shell words with quotes removed and `$VAR` expanded (not inside single quotes); `$(…)` kept for the caller. */
function words(statement: string, vars: Record<string, string>): Word[] {
  const out: Word[] = [];
  let text = '';
  let started = false;
  const substitutions: string[] = [];
  const expand = (s: string) => s.replace(/\$([A-Za-z_]\w*)/g, (_, name: string) => vars[name] ?? '');
  for (let i = 0; i < statement.length; ) {
    const ch = statement[i] ?? '';
    if (/\s/.test(ch)) {
      if (started) out.push({ text, substitutions: [...substitutions] });
      text = '';
      started = false;
      substitutions.length = 0;
      i++;
    } else if (ch === "'") {
      const end = statement.indexOf("'", i + 1);
      text += statement.slice(i + 1, end);
      started = true;
      i = end + 1;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < statement.length && statement[j] !== '"'; j++) {
        const name = /^\$([A-Za-z_]\w*)/.exec(statement.slice(j));
        // Inside double quotes a backslash escapes only ", \, $ and `.
        if (statement[j] === '\\' && '"\\$`'.includes(statement[j + 1] ?? '')) text += statement[++j];
        else if (name) {
          text += vars[name[1] ?? ''] ?? '';
          j += name[0].length - 1;
        } else text += statement[j];
      }
      started = true;
      i = j + 1;
    } else if (ch === '$' && statement[i + 1] === '(') {
      let depth = 1;
      let j = i + 2;
      for (; j < statement.length && depth > 0; j++) {
        if (statement[j] === '(') depth++;
        if (statement[j] === ')') depth--;
      }
      substitutions.push(statement.slice(i + 2, j - 1));
      text += `\u0000${substitutions.length - 1}\u0000`;
      started = true;
      i = j;
    } else {
      const m = /^[^\s'"$]+|^\$[A-Za-z_]\w*|^\$/.exec(statement.slice(i));
      const token = m?.[0] ?? ch;
      text += token.startsWith('$') ? expand(token) : token;
      started = true;
      i += token.length;
    }
  }
  if (started) out.push({ text, substitutions });
  return out;
}

/** The request a curl command line makes; the README writes URLs as `localhost:8787/…`. */
export function parseCurl(args: readonly string[], base: string): CurlRequest {
  const headers: Record<string, string> = {};
  let method: string | undefined;
  let body: string | undefined;
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-s' || arg === '-N' || arg === '-i') continue;
    if (arg === '-X') method = args[++i];
    else if (arg === '-H') {
      const [name = '', ...value] = (args[++i] ?? '').split(':');
      headers[name.trim().toLowerCase()] = value.join(':').trim();
    } else if (arg === '-d') body = args[++i];
    else if (arg.startsWith('-')) throw new Error(`curl option ${arg} is not understood by the README test`);
    else url = arg;
  }
  if (!url) throw new Error(`curl without a URL: ${args.join(' ')}`);
  const path = url.replace(/^(https?:\/\/)?localhost:8787/, '');
  return { method: method ?? (body === undefined ? 'GET' : 'POST'), url: `${base}${path}`, headers, body };
}

/** Runs one script; variables persist in `vars` (the README's blocks share one terminal). */
export async function run(script: string, vars: Record<string, string>, host: ShellHost, base: string) {
  for (const statement of statements(script)) await runStatement(statement, vars, host, base);
}

async function runStatement(statement: string, vars: Record<string, string>, host: ShellHost, base: string) {
  const assignment = /^([A-Za-z_]\w*)=(.*)$/s.exec(statement);
  if (assignment) {
    const [word] = words(assignment[2] ?? '', vars);
    vars[assignment[1] ?? ''] = word ? await substitute(word, vars, host, base) : '';
    return;
  }
  await command(statement, vars, host, base, '');
}

async function substitute(word: Word, vars: Record<string, string>, host: ShellHost, base: string): Promise<string> {
  let text = word.text;
  for (const [index, inner] of word.substitutions.entries()) {
    text = text.replace(`\u0000${index}\u0000`, (await command(inner, vars, host, base, '')).trim());
  }
  return text;
}

/** A pipeline of curl and `node -p`; answers its stdout. */
async function command(
  line: string,
  vars: Record<string, string>,
  host: ShellHost,
  base: string,
  stdin: string,
): Promise<string> {
  let input = stdin;
  for (const stage of splitPipe(line)) {
    const argv = await Promise.all(words(stage, vars).map((word) => substitute(word, vars, host, base)));
    const [program, ...args] = argv;
    if (program === 'curl') input = await host.fetch(parseCurl(args, base));
    else if (program === 'node' && args[0] === '-p') input = evaluate(args[1] ?? '', input, host.seed);
    else throw new Error(`the README test cannot run "${program}"`);
  }
  return input;
}

function splitPipe(line: string): string[] {
  const stages: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '|') {
      stages.push(line.slice(start, i).trim());
      start = i + 1;
    }
  }
  stages.push(line.slice(start).trim());
  return stages;
}

/** The `node -p` expressions the README uses. */
function evaluate(expression: string, stdin: string, seed: Record<string, unknown>): string {
  const fromSeed = /^require\('\.\/\.dev\/seed\.json'\)\.(\w+)$/.exec(expression);
  if (fromSeed) return String(seed[fromSeed[1] ?? '']);
  if (/^crypto\.randomBytes\((\d+)\)\.toString\('hex'\)$/.test(expression)) {
    const bytes = crypto.getRandomValues(new Uint8Array(Number(/\d+/.exec(expression)?.[0])));
    return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  const fromStdin = /^JSON\.parse\(require\('fs'\)\.readFileSync\(0\)\)((?:\.\w+|\.at\(-?\d+\))+)$/.exec(expression);
  if (fromStdin) {
    let value: unknown = JSON.parse(stdin);
    for (const [, key, at] of (fromStdin[1] ?? '')
      .matchAll(/\.(?:at\((-?\d+)\)|(\w+))/g)
      .map((m) => [m[0], m[2], m[1]])) {
      value = at !== undefined ? (value as unknown[]).at(Number(at)) : (value as Record<string, unknown>)[key ?? ''];
    }
    return String(value);
  }
  throw new Error(`the README test cannot evaluate node -p "${expression}"`);
}
