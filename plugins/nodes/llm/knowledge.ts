import {
  CITE_BY_NUMBER,
  type HostTool,
  type JsonObject,
  type NodeContext,
  type RetrievedChunk,
  sourcesText,
} from '../../sdk/index.ts';
import type { LlmKnowledge, LlmSettings } from './settings.ts';

/** The host tool a model calls to search one of the node's collections (`choose: model`). */
export const SEARCH_TOOL = 'search_knowledge';

// The host caps a tool result at 16,000 characters (worker/conversation/tool-runner.ts): chunks share 12,000 of
// them, leaving room for the headers and JSON escaping.
const TOOL_RESULT_BUDGET_CHARS = 12_000;

/** The search query cap of the retrieval node and the search route. */
const MAX_QUERY_CHARS = 2_000;

/** What the LLM call gets from the node's `knowledge` setting: more system prompt, a tool, the citable sources. */
export interface KnowledgeForCall {
  system: string;
  hostTools: HostTool[];
  /** Filled in while the call runs when the model searches (the host reads it when the call ends). */
  sources: RetrievedChunk[] | undefined;
}

/**
 * The host fills `{{participant.name}}`-style variables into the system prompt (worker/conversation/prompt-variables.ts):
 * a document must not be able to pull participant data into the prompt that way, so its braces are broken apart with
 * a zero-width space the model does not notice.
 */
export const inertVariables = (text: string) => text.replaceAll('{{', '{\u200b{');

function addUnique(into: RetrievedChunk[], chunks: readonly RetrievedChunk[]): void {
  for (const chunk of chunks) if (!into.some((known) => known.n === chunk.n)) into.push(chunk);
}

async function searchTool(
  ctx: NodeContext<LlmSettings>,
  knowledge: LlmKnowledge,
  found: RetrievedChunk[],
): Promise<HostTool> {
  const known = new Map((await ctx.services.knowledge.collections()).map((info) => [info.collectionId, info]));
  const described = knowledge.collectionIds.map((id) => {
    const info = known.get(id);
    return info ? `${id}: ${info.name}${info.summary ? ` (${info.summary})` : ''}` : id;
  });
  const parameters: JsonObject = {
    type: 'object',
    properties: {
      collection: {
        type: 'string',
        enum: [...knowledge.collectionIds],
        description: `The collection to search. ${described.join('; ')}`,
      },
      query: { type: 'string', maxLength: MAX_QUERY_CHARS, description: 'A standalone search query' },
    },
    required: ['collection', 'query'],
    additionalProperties: false,
  };
  return {
    name: SEARCH_TOOL,
    description:
      'Searches one of the knowledge collections for passages that answer a question. Results are numbered [n]; cite them by number.',
    parameters,
    async run(args, signal) {
      const chunks = await ctx.services.knowledge.search({
        collectionIds: [String(args.collection)],
        query: String(args.query).slice(0, MAX_QUERY_CHARS),
        topK: knowledge.topK,
        mode: knowledge.mode,
        revision: knowledge.revision,
        signal,
      });
      addUnique(found, chunks);
      if (chunks.length === 0) return 'No passages found.';
      return sourcesText(chunks, Math.floor(TOOL_RESULT_BUDGET_CHARS / chunks.length));
    },
  };
}

/**
 * `choose: all`: every collection searched with the node's input, the numbered chunks appended to the system prompt
 * as a "Sources" block. `choose: model`: the model gets `search_knowledge` over the collections (named and summarised
 * in its parameter) and searches as it sees fit. With citations on, the model is told to cite `[n]` and the chunks
 * are the call's `sources`.
 */
export async function knowledgeForCall(
  ctx: NodeContext<LlmSettings>,
  knowledge: LlmKnowledge,
  query: string,
  system: string,
): Promise<KnowledgeForCall> {
  const join = (...parts: string[]) => parts.filter((part) => part !== '').join('\n\n');
  if (knowledge.choose === 'model') {
    const found: RetrievedChunk[] = [];
    const tool = await searchTool(ctx, knowledge, found);
    const use = `Use the ${SEARCH_TOOL} tool to look up facts in the knowledge collections before you answer.`;
    return {
      system: join(system, knowledge.citations ? `${use} ${CITE_BY_NUMBER}` : use),
      hostTools: [tool],
      sources: knowledge.citations ? found : undefined,
    };
  }
  const trimmed = query.trim().slice(0, MAX_QUERY_CHARS);
  const chunks =
    trimmed === ''
      ? []
      : await ctx.services.knowledge.search({
          collectionIds: knowledge.collectionIds,
          query: trimmed,
          topK: knowledge.topK,
          mode: knowledge.mode,
          revision: knowledge.revision,
          signal: ctx.signal,
        });
  const block =
    chunks.length > 0
      ? `Sources:\n${inertVariables(sourcesText(chunks))}`
      : 'Sources: none were found for this question.';
  return {
    system: join(system, block, knowledge.citations && chunks.length > 0 ? CITE_BY_NUMBER : ''),
    hostTools: [],
    sources: knowledge.citations ? chunks : undefined,
  };
}
