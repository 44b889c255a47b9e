import { z } from 'zod';
import { llmCallFields, llmCallTitles, portName } from '../../sdk/index.ts';
import { titled } from '../../sdk/titles.ts';

const route = z.strictObject({
  name: portName.describe('The output port this route leaves by, and the value the model answers with.'),
  description: z.string().trim().min(1).max(500).describe('When to take this route, for the model to judge.'),
});

export const MAX_HISTORY_MESSAGES = 50;

const shape = titled(
  z.strictObject({
    ...llmCallFields,
    prompt: z
      .string()
      .max(8_000)
      .describe('Instructions for the model on how to choose; the routes and their descriptions are added after it.'),
    routes: z.array(route).min(2).max(20).describe('The routes the model chooses from (2 to 20).'),
    defaultRoute: portName.describe('Taken when the model answers something that is not a route, or nothing usable.'),
    tagReply: z.boolean().optional().describe('Tags the reply `<node id>:<route>`.'),
    history: z
      .enum(['none', 'conversation'])
      .optional()
      .describe('none: the model sees only the node input; conversation: the last messages of the conversation.'),
    historyMessages: z
      .number()
      .int()
      .min(1)
      .max(MAX_HISTORY_MESSAGES)
      .optional()
      .describe('How many of the latest conversation messages the model sees with history conversation (default 10).'),
  }),
  {
    ...llmCallTitles,
    prompt: 'Instructions',
    routes: 'Routes',
    defaultRoute: 'Default route',
    tagReply: 'Tag the reply with the route',
    history: 'History',
    historyMessages: 'History messages',
  },
);

export const llmRouterSettings = shape.superRefine((settings, ctx) => {
  const names = settings.routes.map((entry) => entry.name);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) {
      ctx.addIssue({ code: 'custom', path: ['routes', index, 'name'], message: `route "${name}" is listed twice` });
    }
  });
  if (!names.includes(settings.defaultRoute)) {
    ctx.addIssue({ code: 'custom', path: ['defaultRoute'], message: 'must be the name of one of the routes' });
  }
});

export type LlmRouterSettings = z.infer<typeof llmRouterSettings>;
