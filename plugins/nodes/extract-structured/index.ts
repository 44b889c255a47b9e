import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { extractStructuredKind } from './extract.ts';

/** The extract-structured-data node kind (docs/pipeline-llm-nodes.md). */
export const extractStructuredNode = definePlugin({
  id: 'extract-structured',
  kind: 'node',
  displayName: 'Extract structured data',
  description: 'A pipeline node where the model fills a JSON Schema from the text, into a run key.',
  version: '1.0.0',
  settings: z.object({}),
  secrets: [],
  node: extractStructuredKind,
});
