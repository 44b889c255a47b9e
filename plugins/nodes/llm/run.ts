import type { ChatMessage, JsonValue, NodeContext, NodeToolCall } from '../../sdk/index.ts';
import { knowledgeForCall } from './knowledge.ts';
import type { HistoryBound, LlmSettings } from './settings.ts';
import { DEFAULT_TOKEN_BUDGET, messageText, windowHistory } from './window.ts';

/** What the model is asked to write when older messages fall out of a summary-bounded window. */
const SUMMARY_PROMPT =
  'Summarise the conversation below in a few sentences for an assistant who will continue it. Keep names, facts, ' +
  'decisions and open questions; leave out pleasantries.';

function asText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  return JSON.stringify(value);
}

/** The user content of this call: `prompt` with `{{input}}` filled in, else the node's input. */
export function userContent(ctx: NodeContext<LlmSettings>): string {
  const input = asText(ctx.input);
  const prompt = ctx.settings.prompt;
  return prompt === undefined ? input : prompt.replaceAll('{{input}}', input);
}

function historyName(ctx: NodeContext<LlmSettings>): string | null {
  const history = ctx.settings.history;
  if (history?.mode === 'node') return `node:${ctx.nodeId}`;
  if (history?.mode === 'named') return `named:${history.name}`;
  return null;
}

function bound(settings: LlmSettings): HistoryBound {
  return settings.history?.bound ?? { type: 'tokens', budget: settings.historyTokenBudget ?? DEFAULT_TOKEN_BUDGET };
}

/** Summary mode: whatever fell out of the window is folded into the stored summary by a second model call. */
async function summarise(
  ctx: NodeContext<LlmSettings>,
  name: string,
  messages: readonly ChatMessage[],
  dropped: number,
  model: string,
): Promise<string | null> {
  const known = await ctx.services.history.summary(name);
  if (dropped === 0) return known?.text ?? null;
  if (known && known.through >= dropped) return known.text;
  const fresh = messages.slice(known?.through ?? 0, dropped);
  const transcript = fresh.map((message) => `${message.role}: ${messageText(message)}`).join('\n');
  const previous = known ? `Summary so far:\n${known.text}\n\n` : '';
  const result = await ctx.services.llm.chat({
    providerId: ctx.settings.providerId,
    credentialId: ctx.settings.credentialId,
    model,
    parameters: {},
    system: SUMMARY_PROMPT,
    messages: [{ role: 'user', content: `${previous}${transcript}` }],
    signal: ctx.signal,
  });
  if (result.usage) ctx.usage(result.usage);
  ctx.services.history.setSummary(name, { text: result.text, through: dropped });
  return result.text;
}

/** The messages the model sees: the bounded history (and its summary), then this call's user content if new. */
async function messagesFor(
  ctx: NodeContext<LlmSettings>,
  content: string,
): Promise<{ messages: ChatMessage[]; summary: string | null }> {
  const mode = ctx.settings.history?.mode ?? 'conversation';
  if (mode === 'none') return { messages: [{ role: 'user', content }], summary: null };
  const name = historyName(ctx);
  const stored = name ? await ctx.services.history.named(name) : await ctx.services.history.conversation();
  // The conversation already ends with this turn's user message; a node fed something else (a template, a prompt)
  // adds it as the newest user message. Named histories never hold this turn yet.
  const runInput = asText(ctx.runInput);
  const all: ChatMessage[] =
    name || content !== runInput || stored.length === 0 ? [...stored, { role: 'user', content }] : stored;
  const limit = bound(ctx.settings);
  const window = windowHistory(all, limit);
  const summary =
    limit.type === 'summary'
      ? await summarise(ctx, name ?? 'conversation', all, window.dropped, limit.summaryModel ?? ctx.settings.model)
      : null;
  return { messages: window.kept, summary };
}

export async function runLlm(ctx: NodeContext<LlmSettings>): Promise<JsonValue> {
  const { settings } = ctx;
  const content = userContent(ctx);
  const { messages, summary } = await messagesFor(ctx, content);
  const prompt = summary
    ? `${settings.systemPrompt}${settings.systemPrompt ? '\n\n' : ''}Summary of the earlier conversation:\n${summary}`
    : settings.systemPrompt;
  const knowledge = settings.knowledge
    ? await knowledgeForCall(ctx, settings.knowledge, asText(ctx.input), prompt)
    : undefined;
  const system = knowledge?.system ?? prompt;
  const result = await ctx.services.llm.chat({
    providerId: settings.providerId,
    credentialId: settings.credentialId,
    model: settings.model,
    parameters: settings.parameters,
    ...(system && { system }),
    messages,
    tools: settings.tools,
    turnHooks: { state: ctx.state, endConversation: (reason) => ctx.endConversation(reason) },
    ...(knowledge && knowledge.hostTools.length > 0 && { hostTools: knowledge.hostTools }),
    ...(knowledge?.sources && { sources: knowledge.sources }),
    maxToolSteps: settings.maxToolSteps,
    ...(settings.approval && { approval: settings.approval }),
    ...(settings.firstTokenTimeoutMs && { firstTokenTimeoutMs: settings.firstTokenTimeoutMs }),
    stream: true,
    signal: ctx.signal,
  });
  if (result.usage) ctx.usage(result.usage);
  // The tool loop's log (the host's metadata.tools) goes into the trace.
  const calls = result.metadata.tools;
  if (Array.isArray(calls) && calls.length > 0) ctx.toolCalls?.(calls as unknown as NodeToolCall[]);
  const name = historyName(ctx);
  if (name) {
    ctx.services.history.append(name, [
      { role: 'user', content },
      { role: 'assistant', content: result.text },
    ]);
  }
  return result.text;
}
