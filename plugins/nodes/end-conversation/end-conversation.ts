import { z } from 'zod';
import { DEFAULT_PORT, defineNodeKind } from '../../sdk/index.ts';

export const endConversationKind = defineNodeKind({
  id: 'end_conversation',
  displayName: 'End conversation',
  description: 'Marks the conversation as ended once this run finishes (the run itself goes on).',
  settings: z.strictObject({ reason: z.string().max(200).optional() }),
  inputs: 'any value',
  output: 'its input, unchanged',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  silent: true,
  run: (ctx) => {
    ctx.endConversation(ctx.settings.reason ?? '');
    return ctx.input;
  },
});
