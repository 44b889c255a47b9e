import { z } from 'zod';
import { toolApproval } from '../../plugins/sdk/index.ts';
import { eventsSection } from '../events/schemas.ts';

/**
 * A chatbot version's behaviour, stored as a graph of nodes. Today the only valid graph is start → llm → end;
 * pipelines add node types later without a data migration (`schemaVersion` says which reader to use).
 */
const nodeId = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lowercase id, at most 40 characters');

export const startNode = z.strictObject({ id: nodeId, type: z.literal('start') });
export const endNode = z.strictObject({ id: nodeId, type: z.literal('end') });
export const llmNode = z.strictObject({
  id: nodeId,
  type: z.literal('llm'),
  /** Provider plugin id, and which of the team's credentials to use (null: a provider that needs none). */
  providerId: z.string().min(1),
  credentialId: z.string().nullable(),
  model: z.string().min(1).max(200),
  // Prompts are part of every turn's request; 32k characters is well inside every provider's context window.
  systemPrompt: z.string().max(32_000),
  parameters: z.record(z.string(), z.unknown()),
  tools: z.array(z.string()).max(32),
  maxToolSteps: z.number().int().min(1).max(10),
  /** Tool calls that need a person's approval, and the rule where nobody can be asked (docs/tools.md#approval). */
  approval: toolApproval.optional(),
  /** The turn fails if the model sends nothing for this long (default 60 s: slow reasoning models take 30+). */
  firstTokenTimeoutMs: z.number().int().min(1_000).max(300_000).optional(),
  /** History kept for the model, in estimated tokens; the system prompt is always kept on top of it. */
  historyTokenBudget: z.number().int().min(500).max(1_000_000).optional(),
});

export const chatbotNode = z.discriminatedUnion('type', [startNode, llmNode, endNode]);

export const burstPolicies = ['queue', 'merge'] as const;
export type BurstPolicy = (typeof burstPolicies)[number];

/**
 * How the embeddable widget looks. Every field is optional; defaults (worker/widget/settings.ts): title = the
 * chatbot's name, no subtitle or avatar, primaryColor #2563eb, position bottom-right, launcherIcon chat, theme auto,
 * locale = the visitor's browser language.
 */
export const widgetSettings = z.strictObject({
  title: z.string().trim().min(1).max(80).optional(),
  subtitle: z.string().max(160).optional(),
  // http(s) only: the widget renders it as an image in the customer's page, so no data: or javascript: URLs.
  avatarUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  primaryColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour')
    .optional(),
  position: z.enum(['bottom-right', 'bottom-left']).optional(),
  launcherIcon: z.enum(['chat', 'help', 'sparkles']).optional(),
  theme: z.enum(['light', 'dark', 'auto']).optional(),
  // A BCP 47 language tag such as `en` or `pt-BR`.
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or pt-BR')
    .max(35)
    .optional(),
});

export const chatbotSettings = z.strictObject({
  burstPolicy: z.enum(burstPolicies),
  welcomeMessage: z.string().max(2000),
  starterQuestions: z.array(z.string().min(1).max(200)).max(6),
  widget: widgetSettings.optional(),
});

export const chatbotDefinition = z
  .strictObject({
    schemaVersion: z.literal(1),
    nodes: z.array(chatbotNode).min(2).max(50),
    edges: z.array(z.strictObject({ from: nodeId, to: nodeId })).max(100),
    settings: chatbotSettings,
    /** Triggers and their actions (worker/events/schemas.ts, docs/events.md). */
    events: eventsSection.optional(),
  })
  .superRefine((definition, ctx) => {
    const path = linearPath(definition);
    if (typeof path === 'string') ctx.addIssue({ code: 'custom', path: ['edges'], message: path });
  });

export type ChatbotDefinition = z.infer<typeof chatbotDefinition>;
export type LlmNode = z.infer<typeof llmNode>;
export type WidgetSettings = z.infer<typeof widgetSettings>;
type ChatbotNode = z.infer<typeof chatbotNode>;

/** Walks start → … → end; returns the nodes in order, or a message saying why the graph is not a valid path. */
function linearPath(definition: Pick<ChatbotDefinition, 'nodes' | 'edges'>): ChatbotNode[] | string {
  const byId = new Map(definition.nodes.map((node) => [node.id, node]));
  if (byId.size !== definition.nodes.length) return 'node ids must be unique';
  const starts = definition.nodes.filter((node) => node.type === 'start');
  if (starts.length !== 1) return 'exactly one start node is required';
  const next = new Map<string, string>();
  for (const edge of definition.edges) {
    if (!byId.has(edge.from) || !byId.has(edge.to)) return `edge ${edge.from} → ${edge.to} names an unknown node`;
    if (next.has(edge.from)) return `node ${edge.from} has more than one outgoing edge`;
    next.set(edge.from, edge.to);
  }
  const path: ChatbotNode[] = [];
  let current: ChatbotNode | undefined = starts[0];
  while (current && path.length <= definition.nodes.length) {
    path.push(current);
    if (current.type === 'end') break;
    const to = next.get(current.id);
    current = to ? byId.get(to) : undefined;
  }
  if (path.at(-1)?.type !== 'end') return 'the graph must lead from start to an end node';
  if (path.length !== definition.nodes.length) return 'every node must lie on the path from start to end';
  if (path.filter((node) => node.type === 'llm').length !== 1) return 'exactly one llm node is supported for now';
  return path;
}

/** The LLM step of a validated definition. */
export function llmStep(definition: ChatbotDefinition): LlmNode {
  const node = definition.nodes.find((candidate): candidate is LlmNode => candidate.type === 'llm');
  if (!node) throw new Error('validated chatbot definition has no llm node');
  return node;
}

/** The smallest useful chatbot: start → llm → end with the given model. */
export function simpleDefinition(llm: Omit<LlmNode, 'id' | 'type'>, settings?: Partial<ChatbotDefinition['settings']>) {
  return chatbotDefinition.parse({
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'start' },
      { id: 'llm', type: 'llm', ...llm },
      { id: 'end', type: 'end' },
    ],
    edges: [
      { from: 'start', to: 'llm' },
      { from: 'llm', to: 'end' },
    ],
    settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [], ...settings },
  });
}
