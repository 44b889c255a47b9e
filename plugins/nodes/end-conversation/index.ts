import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { endConversationKind } from './end-conversation.ts';

/** The pipeline node that ends the conversation once the run finishes. */
export const endConversationNode = definePlugin({
  id: 'end-conversation',
  kind: 'node',
  displayName: 'End conversation',
  description: 'Marks the conversation as ended once the run finishes.',
  version: '1.0.0',
  // Pure: nothing to configure per team; each node's own settings are in the pipeline.
  settings: z.strictObject({}),
  secrets: [],
  node: endConversationKind,
});
