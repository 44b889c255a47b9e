import type { RerankContext, RerankedDocument, RerankRequest } from '../../sdk/index.ts';
import { RerankerError, retryAfterMs } from '../../sdk/index.ts';
import { cohereRerankModels } from './models.ts';
import type { CohereRerankSettings } from './settings.ts';

/** Statuses a later try can get past: request timeout, rate limit (429 carries Retry-After), server errors. */
const transient = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * `POST {baseUrl}/v2/rerank` (docs.cohere.com/reference/rerank) with `model`, `query`, `documents` (strings),
 * `top_n` and `max_tokens_per_doc` (the service cuts longer documents to it instead of refusing them) →
 * `{ results: [{ index, relevance_score }] }`, best first. Plain fetch through `ctx.fetch` (README: why not the SDK);
 * one attempt, since search falls back to the fused order rather than waiting.
 */
export async function rerankWithCohere(
  ctx: RerankContext<CohereRerankSettings>,
  request: RerankRequest,
): Promise<RerankedDocument[]> {
  const model = cohereRerankModels.find((m) => m.id === request.model);
  if (!model) throw new RerankerError(`cohere-rerank has no model ${request.model}`);
  if (request.documents.length === 0) return [];
  const topN = Math.max(1, Math.min(request.topN, request.documents.length));
  const url = `${ctx.settings.baseUrl.replace(/\/+$/, '')}/v2/rerank`;
  const scrub = (text: string) => redact(text, ctx.settings.apiKey);
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ctx.settings.apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        model: model.id,
        query: request.query,
        documents: [...request.documents],
        top_n: topN,
        max_tokens_per_doc: model.maxInputTokens,
      }),
      signal: ctx.signal,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new RerankerError(scrub(`Could not reach Cohere at ${hostOf(url)}: ${message}`), true);
  }
  const body = await response.text();
  if (!response.ok) {
    const retryable = transient(response.status);
    const wait = retryable ? retryAfterMs(response.headers.get('retry-after'), ctx.clock.now()) : undefined;
    const hint = response.status === 401 ? ' Check the API key in the re-ranker settings.' : '';
    throw new RerankerError(
      scrub(`Cohere rerank answered ${response.status}: ${messageOf(body) ?? 'no message'}${hint}`),
      retryable,
      wait,
    );
  }
  const results = resultsOf(body, request.documents.length);
  if (!results) throw new RerankerError('Cohere rerank answered without a valid results list', true);
  return results.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, topN);
}

function resultsOf(body: string, count: number): RerankedDocument[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const results = (parsed as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return undefined;
  const seen = new Set<number>();
  const out: RerankedDocument[] = [];
  for (const item of results) {
    const { index, relevance_score: score } = (item ?? {}) as { index?: unknown; relevance_score?: unknown };
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || seen.has(index)) {
      return undefined;
    }
    if (typeof score !== 'number' || !Number.isFinite(score)) return undefined;
    seen.add(index);
    out.push({ index, score });
  }
  return out;
}

/** Cohere's error body is `{ "message": "…" }` (v2 adds an `id`); a proxy may answer anything. */
function messageOf(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { message?: unknown } | null)?.message;
    if (typeof message === 'string') return message.slice(0, 500);
  } catch {
    // not JSON: fall through to the text itself
  }
  const text = body.trim();
  return text === '' ? undefined : text.slice(0, 200);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured URL';
  }
}

function redact(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
}
