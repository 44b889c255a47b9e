import { z } from 'zod';
import { defineNodeKind } from '../node-kind.ts';
import { asText } from './shared.ts';

export const endKind = defineNodeKind({
  id: 'end',
  displayName: 'End',
  description:
    'Where a branch finishes. Its input (the last one in edge order when several arrive) is sent as a reply unless it is empty or `reply` is false.',
  settings: z.strictObject({ reply: z.boolean().optional() }),
  inputs: 'any value; text is sent as is, other values as JSON',
  output: 'its input',
  acceptsInput: true,
  ports: () => [],
  routes: false,
  run: (ctx) => {
    const text = asText(ctx.input);
    if (ctx.settings.reply !== false && text) ctx.reply(text);
    return ctx.input;
  },
});
