import { boundedText, ResponseTooLarge } from '../../sdk/bounded-body.ts';
import type { JsonObject, JsonValue } from '../../sdk/index.ts';
import { type NodeContext, NodeError } from '../../sdk/node/kind.ts';
import { parseTemplate, renderTemplate } from '../../sdk/template/render.ts';
import type { HttpRequestSettings } from './settings.ts';

/** Response bytes kept (the run key lands in DO storage and the trace; a row holds at most 2 MB). */
export const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * Renders the request from templates, sends it through `ctx.services.fetch` (the host's outbound guard) and stores
 * `{ status, ok, headers, json | text }` under the run key and as the output. 4xx fail the node at once (a retry
 * sends the same request); 5xx, 429 and network failures are retryable under the node's retry policy. The node's
 * timeout arrives as `ctx.signal`.
 */
export async function runHttpRequest(ctx: NodeContext<HttpRequestSettings>): Promise<JsonValue> {
  const teamSettings = await ctx.services.pluginSettings();
  const secrets = (teamSettings?.secrets ?? {}) as Record<string, string>;
  const variables = {
    input: ctx.input,
    run_input: ctx.runInput,
    state: { session: ctx.state.all('session'), participant: ctx.state.all('participant'), temp: ctx.state.all('run') },
    secrets,
  };
  const render = (field: string, source: string) => {
    try {
      return renderTemplate(parseTemplate(source), variables);
    } catch (error) {
      throw new NodeError(`${field}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const url = render('url', ctx.settings.url).trim();
  if (!URL.canParse(url)) throw new NodeError(`url: the rendered URL is not a URL (${redact(url, secrets)})`);
  const headers = new Headers();
  for (const [name, template] of Object.entries(ctx.settings.headers))
    headers.set(name, render(`headers.${name}`, template));
  const body =
    ctx.settings.body === undefined || ctx.settings.method === 'GET' ? undefined : render('body', ctx.settings.body);
  let response: Response;
  try {
    response = await ctx.services.fetch(url, { method: ctx.settings.method, headers, body, signal: ctx.signal });
  } catch (error) {
    if (error instanceof NodeError) throw error;
    throw new NodeError(
      `request failed: ${redact(error instanceof Error ? error.message : String(error), secrets)}`,
      true,
    );
  }
  const result = await readResult(response, ctx.settings.responseHeaders);
  if (response.status === 429 || response.status >= 500)
    throw new NodeError(`${ctx.settings.method} ${describe(url)} answered ${response.status}`, true);
  if (response.status >= 400)
    throw new NodeError(`${ctx.settings.method} ${describe(url)} answered ${response.status}: ${snippet(result)}`);
  ctx.state.set('run', ctx.settings.resultKey, result);
  return result;
}

async function readResult(response: Response, keep: readonly string[]): Promise<JsonObject> {
  const headers: JsonObject = {};
  for (const name of keep) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  let text: string;
  try {
    text = await boundedText(response, MAX_RESPONSE_BYTES);
  } catch (error) {
    if (error instanceof ResponseTooLarge)
      throw new NodeError(`the response is larger than ${MAX_RESPONSE_BYTES} bytes`);
    throw new NodeError(`reading the response failed: ${String(error)}`, true);
  }
  const result: JsonObject = { status: response.status, ok: response.ok, headers };
  if (/\bjson\b/.test(response.headers.get('content-type') ?? '')) {
    try {
      result.json = JSON.parse(text) as JsonValue;
      return result;
    } catch {
      // Says JSON, is not: keep the text.
    }
  }
  result.text = text;
  return result;
}

/** Scheme, host and path only: queries often carry keys, and error messages are stored in traces. */
function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

function snippet(result: JsonObject): string {
  const text = typeof result.text === 'string' ? result.text : JSON.stringify(result.json ?? null);
  return text.slice(0, 200);
}

function redact(text: string, secrets: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(secrets)) if (value.length >= 4) out = out.split(value).join('[secret]');
  return out;
}
