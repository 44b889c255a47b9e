import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { replyKind } from './reply.ts';

/** The pipeline node that sends a message to the user mid-run. */
export const replyNode = definePlugin({
  id: 'reply',
  kind: 'node',
  displayName: 'Reply',
  description:
    'Sends a message to the user in the middle of a run; a pipeline may answer with several messages, in order.',
  version: '1.0.0',
  // Pure: nothing to configure per team; each node's own settings are in the pipeline.
  settings: z.strictObject({}),
  secrets: [],
  node: replyKind,
});
