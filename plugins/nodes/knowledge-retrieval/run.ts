import {
  asText,
  conversationWindow,
  DEFAULT_TEMPLATE_LIMITS,
  type JsonObject,
  type JsonValue,
  type NodeContext,
  NodeError,
  parseTemplate,
  renderTemplate,
  sourcesText,
  structuredChat,
} from '../../sdk/index.ts';
import type { KnowledgeRetrievalSettings } from './settings.ts';

/** The search route's own cap on a query (worker/knowledge/search/schemas.ts): longer text is cut, not refused. */
export const MAX_QUERY_CHARS = 2_000;

// The question and the few turns before it are what a follow-up ("and the blue one?") leans on.
const REWRITE_HISTORY_MESSAGES = 6;

export const REWRITE_PROMPT =
  'Rewrite the last user message of the conversation as one standalone search query for a document search: ' +
  'resolve pronouns and references from the earlier messages, keep names, numbers and key terms, drop greetings. ' +
  'Answer with the query only.';

const REWRITE_SCHEMA: JsonObject = {
  type: 'object',
  properties: { query: { type: 'string', description: 'The standalone search query' } },
  required: ['query'],
  additionalProperties: false,
};

async function rewrite(
  ctx: NodeContext<KnowledgeRetrievalSettings>,
  source: Extract<KnowledgeRetrievalSettings['query'], { type: 'rewrite' }>,
): Promise<string> {
  const input = asText(ctx.input);
  const window = await conversationWindow(ctx, REWRITE_HISTORY_MESSAGES);
  const messages = window.length > 0 ? window : [{ role: 'user' as const, content: input }];
  const answer = await structuredChat(ctx, {
    settings: source,
    name: 'search_query',
    schema: REWRITE_SCHEMA,
    system: source.instructions ? `${REWRITE_PROMPT}\n\n${source.instructions}` : REWRITE_PROMPT,
    messages,
  });
  const value = answer.ok ? answer.value : undefined;
  const query = typeof value === 'object' && value !== null && !Array.isArray(value) ? value.query : undefined;
  // A model that answers badly still leaves a usable search: the input itself.
  return typeof query === 'string' && query.trim() !== '' ? query : input;
}

/** The search query the settings ask for. */
export async function queryOf(ctx: NodeContext<KnowledgeRetrievalSettings>): Promise<string> {
  const source = ctx.settings.query;
  if (source.type === 'input') return asText(ctx.input);
  if (source.type === 'rewrite') return rewrite(ctx, source);
  try {
    return renderTemplate(
      parseTemplate(source.template),
      {
        input: ctx.input,
        node_inputs: ctx.inputs.map((entry) => entry.value),
        temp_state: ctx.state.all('run'),
        session_state: ctx.state.all('session'),
        participant_data: ctx.state.all('participant'),
      },
      DEFAULT_TEMPLATE_LIMITS,
    );
  } catch (error) {
    if (error instanceof NodeError) throw error;
    throw new NodeError(`query template: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Searches the collections; the chunks go to the run key as JSON and out as a `[n]`-numbered text block. */
export async function runKnowledgeRetrieval(ctx: NodeContext<KnowledgeRetrievalSettings>): Promise<JsonValue> {
  const { settings } = ctx;
  const query = (await queryOf(ctx)).trim().slice(0, MAX_QUERY_CHARS);
  const chunks =
    query === ''
      ? []
      : await ctx.services.knowledge.search({
          collectionIds: settings.collectionIds,
          query,
          topK: settings.topK,
          mode: settings.mode,
          revision: settings.revision,
          ...(settings.documentIds && { documentIds: settings.documentIds }),
          signal: ctx.signal,
        });
  ctx.state.set('run', settings.outputKey, chunks.map((chunk) => ({ ...chunk })) as unknown as JsonValue);
  return sourcesText(chunks);
}
