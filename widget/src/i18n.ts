/** UI strings. English is the fallback; a site overrides with data-locale, Parley.setLocale or the chatbot setting. */
export type Key =
  | 'open'
  | 'close'
  | 'send'
  | 'placeholder'
  | 'stop'
  | 'retry'
  | 'newChat'
  | 'attach'
  | 'offline'
  | 'connecting'
  | 'error'
  | 'failed'
  | 'typing'
  | 'up'
  | 'down'
  | 'limited'
  | 'tooBig'
  | 'stopped'
  | 'blocked'
  | 'sources'
  | 'toolAsk'
  | 'allow'
  | 'deny'
  | 'allowed'
  | 'denied';

export type Strings = Record<Key, string>;

const keys: Key[] = [
  'open',
  'close',
  'send',
  'placeholder',
  'stop',
  'retry',
  'newChat',
  'attach',
  'offline',
  'connecting',
  'error',
  'failed',
  'typing',
  'up',
  'down',
  'limited',
  'tooBig',
  'stopped',
  'blocked',
  'sources',
  'toolAsk',
  'allow',
  'deny',
  'allowed',
  'denied',
];

const en =
  "Open chat|Close chat|Send|Type a message…|Stop|Retry|New conversation|Attach a file|You are offline|Reconnecting…|The reply failed.|Not sent.|Typing…|Helpful|Not helpful|Too many messages, please wait a moment.|That file is too large.|Stopped|This website ({origin}) is not allowed to use this chatbot. Its owner can add it under the chatbot's widget keys.|Sources|The assistant wants to use {tool}|Allow|Deny|Allowed|Denied";

/** Languages with a translation (widget/src/locales.ts); English is built in, the others load on demand. */
export const locales = ['en', 'es', 'fr', 'de', 'pt'];
const loaded: Record<string, string> = { en };

export function addLocale(code: string, line: string): void {
  loaded[code] = line;
}

export const hasStrings = (code: string) => !!loaded[code];

/** The first supported language among the candidates (`pt-BR` → `pt`), else English. */
export function pickLocale(candidates: readonly (string | null | undefined)[]): string {
  for (const candidate of candidates) {
    const base = candidate?.toLowerCase().split(/[-_]/)[0];
    if (base && locales.includes(base)) return base;
  }
  return 'en';
}

/** The strings of `locale`, with a site's overrides (`Parley.setStrings`) on top. */
export function strings(locale: string, overrides: Partial<Strings> = {}): Strings {
  const values = (loaded[locale] ?? en).split('|');
  const result = {} as Strings;
  keys.forEach((key, index) => {
    result[key] = overrides[key] ?? values[index] ?? '';
  });
  return result;
}
