import { z } from 'zod';
import {
  credentialReferences,
  DEFAULT_PORT,
  defineNodeKind,
  definePlugin,
  type NodeReference,
} from '../../sdk/index.ts';
import { runKnowledgeRetrieval } from './run.ts';
import { type KnowledgeRetrievalSettings, knowledgeRetrievalSettings } from './settings.ts';

function references(settings: KnowledgeRetrievalSettings): NodeReference[] {
  const collections = settings.collectionIds.map(
    (id, i): NodeReference => ({ type: 'collection', id, path: `collectionIds[${i}]` }),
  );
  const rewrite = settings.query.type === 'rewrite' ? credentialReferences(settings.query) : [];
  return [...collections, ...rewrite.map((ref) => ({ ...ref, path: `query.${ref.path}` }))];
}

export const knowledgeRetrievalKind = defineNodeKind({
  id: 'knowledge_retrieval',
  displayName: 'Knowledge retrieval',
  description:
    "Searches the team's knowledge collections with the node input, a template or a model's rewrite of the last question; the chunks go to a run key and out as numbered text ([1], [2]…) a template or LLM can cite.",
  settings: knowledgeRetrievalSettings,
  // A placeholder the editor's reference check flags until the admin picks a collection (defaults must parse).
  defaults: { collectionIds: ['choose-a-collection'], query: { type: 'input' }, outputKey: 'knowledge' },
  inputs: 'text: the question (the run input when it follows start)',
  output: 'the retrieved chunks as `[n] Title › heading` blocks; the JSON list is in the run key `outputKey`',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  silent: true,
  references,
  run: runKnowledgeRetrieval,
});

export const knowledgeRetrievalNode = definePlugin({
  id: 'knowledge-retrieval',
  kind: 'node',
  displayName: 'Knowledge retrieval',
  description: "A pipeline node that searches the team's knowledge collections into a run key, numbered for citations.",
  version: '1.0.0',
  // Nothing team-wide: the collections are chosen per node.
  settings: z.strictObject({}),
  secrets: [],
  node: knowledgeRetrievalKind,
});
