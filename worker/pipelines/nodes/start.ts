import { z } from 'zod';
import { DEFAULT_PORT, defineNodeKind } from '../node-kind.ts';

export const startKind = defineNodeKind({
  id: 'start',
  displayName: 'Start',
  description: 'Where every run begins: outputs the user message that started it.',
  settings: z.strictObject({}),
  inputs: 'none',
  output: "the user's message",
  acceptsInput: false,
  ports: () => [DEFAULT_PORT],
  routes: false,
  run: (ctx) => ctx.runInput,
});
