import { z } from 'zod';
import { asText, DEFAULT_PORT, defineNodeKind, MAX_REPLY_CHARS } from '../../sdk/index.ts';

export const replyKind = defineNodeKind({
  id: 'reply',
  displayName: 'Reply',
  description:
    'Sends a message to the user mid-run: `text` if set, else its input. The run continues; replies arrive in order.',
  settings: z.strictObject({ text: z.string().min(1).max(MAX_REPLY_CHARS).optional() }),
  inputs: 'any value',
  output: 'its input, unchanged',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  run: (ctx) => {
    const text = ctx.settings.text ?? asText(ctx.input).slice(0, MAX_REPLY_CHARS);
    if (text) ctx.reply(text);
    return ctx.input;
  },
});
