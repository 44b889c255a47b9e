import {
  asText,
  type ChatMessage,
  conversationWindow,
  credentialReferences,
  DEFAULT_LLM_CALL,
  defineNodeKind,
  type JsonObject,
  type NodeContext,
  type StructuredAnswer,
  structuredChat,
} from '../../sdk/index.ts';
import { type LlmRouterSettings, llmRouterSettings } from './settings.ts';

// Tags are at most 50 characters (worker/pipelines/run-state.ts MAX_TAG_CHARS).
const MAX_TAG_CHARS = 50;
const DEFAULT_HISTORY_MESSAGES = 10;
// The node input the model reads; a classifier needs the gist, not a whole document.
const MAX_INPUT_CHARS = 8_000;

/** The answer the model must give: one of the route names. */
export function routeSchema(settings: LlmRouterSettings): JsonObject {
  return {
    type: 'object',
    properties: {
      route: {
        type: 'string',
        enum: settings.routes.map((route) => route.name),
        description: 'The name of the route that fits best.',
      },
    },
    required: ['route'],
    additionalProperties: false,
  };
}

export function routerSystemPrompt(settings: LlmRouterSettings): string {
  const routes = settings.routes.map((route) => `- ${route.name}: ${route.description}`).join('\n');
  const instructions = settings.prompt.trim();
  return [
    ...(instructions ? [instructions] : []),
    `Choose exactly one route for the user's latest message. The routes:\n${routes}`,
    `If none fits, choose ${settings.defaultRoute}. Answer only with the route's name in the "route" field.`,
  ].join('\n\n');
}

async function routerMessages(ctx: NodeContext<LlmRouterSettings>): Promise<ChatMessage[]> {
  const input = asText(ctx.input).slice(0, MAX_INPUT_CHARS);
  if (ctx.settings.history !== 'conversation') return input.trim() === '' ? [] : [{ role: 'user', content: input }];
  const window = await conversationWindow(ctx, ctx.settings.historyMessages ?? DEFAULT_HISTORY_MESSAGES);
  // The node's input is what is being routed: when an earlier node changed it, it follows the window.
  const last = window.findLast((message) => message.role === 'user')?.content;
  return input.trim() !== '' && input !== last ? [...window, { role: 'user', content: input }] : window;
}

/**
 * What the router decided, written to the run key `<node id>.route` for the trace and later nodes:
 * `{ route, answered }`, plus `fallback` saying why the default route was taken.
 */
export interface RouteDecision {
  route: string;
  answered: string | null;
  fallback?: string;
}

export const llmRouterKind = defineNodeKind({
  id: 'llm_router',
  displayName: 'LLM router',
  description:
    'The model picks one of the named routes for the message by structured output (an enum of the route names); an answer that is not a route takes the default route. Optionally tags the reply with the route.',
  settings: llmRouterSettings,
  // Two routes, as a router needs at least two; the editor names them after the user's own in the settings panel.
  defaults: {
    ...DEFAULT_LLM_CALL,
    prompt: '',
    routes: [
      { name: 'route_a', description: 'Messages about the first topic' },
      { name: 'other', description: 'Everything else' },
    ],
    defaultRoute: 'other',
  },
  inputs: 'the message to route (text; other values are read as JSON)',
  output: 'its input, unchanged, on the chosen port; the decision is in the run key `<node id>.route`',
  acceptsInput: true,
  ports: (settings: LlmRouterSettings) => settings.routes.map((route) => route.name),
  routes: true,
  silent: true,
  references: credentialReferences,
  async run(ctx) {
    const { settings } = ctx;
    const names = settings.routes.map((route) => route.name);
    const answer = await structuredChat(ctx, {
      settings,
      name: 'route_choice',
      schema: routeSchema(settings),
      system: routerSystemPrompt(settings),
      messages: await routerMessages(ctx),
    });
    const decision = decide(answer, names, settings.defaultRoute);
    ctx.state.set('run', `${ctx.nodeId}.route`, { ...decision });
    ctx.route(decision.route);
    if (settings.tagReply) ctx.tag(`${ctx.nodeId}:${decision.route}`.slice(0, MAX_TAG_CHARS), 'reply');
    return ctx.input;
  },
});

function decide(answer: StructuredAnswer, names: readonly string[], defaultRoute: string): RouteDecision {
  const value = answer.value;
  const chosen = typeof value === 'object' && value !== null && !Array.isArray(value) ? value.route : undefined;
  if (answer.ok && typeof chosen === 'string' && names.includes(chosen)) return { route: chosen, answered: chosen };
  const answered = chosen === undefined ? answer.text : asText(chosen);
  const fallback = answer.ok ? 'the answer is not a route' : answer.problem;
  return { route: defaultRoute, answered: answered.slice(0, 200), fallback: fallback.slice(0, 300) };
}
