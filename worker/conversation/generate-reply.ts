import type { LlmNode } from '../chatbots/definition.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import { windowMessages } from './history.ts';
import { withImages } from './images.ts';
import { type MessageContext, withPageContext } from './message-extras.ts';
import type { ConversationMeta } from './meta.ts';
import { loadPromptParticipant, renderPrompt, usesParticipant, usesVariables } from './prompt-variables.ts';
import type { ConversationEventBody, ConversationMessage } from './protocol.ts';
import type { ProviderCache } from './provider-cache.ts';
import { resolveProvider, TurnSetupError } from './provider-settings.ts';
import type { ConversationStore } from './store.ts';
import { failedReply, type ReplyOutcome } from './stream-reply.ts';
import { Toolbox } from './tool-runner.ts';
import { runTurnSteps } from './turn-steps.ts';

// Defaults for chatbots that set none: generous enough for slow reasoning models.
const FIRST_TOKEN_TIMEOUT_MS = 60_000;
const HISTORY_BUDGET_TOKENS = 12_000;

export interface GenerateReplyInput {
  env: Env;
  store: ConversationStore;
  clock: Clock;
  emit(event: ConversationEventBody): void;
  teamId: string;
  turnId: string;
  replyId: string;
  step: LlmNode;
  cancel: AbortSignal;
  providers: ProviderCache;
}

/** The chatbot's system prompt with its `{{variables}}` filled in (worker/conversation/prompt-variables.ts). */
async function systemPrompt(
  input: GenerateReplyInput,
  meta: ConversationMeta | undefined,
  turnMessages: readonly ConversationMessage[],
): Promise<string> {
  const template = input.step.systemPrompt;
  if (!usesVariables(template)) return template;
  // The participant is read from D1 only when the prompt asks for it, and then once per turn.
  const participant = meta && usesParticipant(template) ? await loadPromptParticipant(input.env, meta) : null;
  const page = turnMessages.findLast((message) => message.metadata.context)?.metadata.context as
    | MessageContext
    | undefined;
  return renderPrompt(template, { participant, page, now: input.clock.now() });
}

/**
 * The LLM step of one turn: provider and settings, validated parameters, tools, the windowed history, then the
 * tool-calling loop. Never throws: configuration problems and bugs end as an error outcome the admin can read.
 */
export async function generateReply(input: GenerateReplyInput): Promise<ReplyOutcome> {
  const { step, store, turnId } = input;
  try {
    const { provider, settings } = await input.providers.get(step, input.clock.now(), () =>
      resolveProvider(input.env, input.teamId, step),
    );
    const parameters = provider.parameters(step.model).safeParse(step.parameters);
    if (!parameters.success) {
      throw new TurnSetupError('invalid_parameters', `Invalid model parameters: ${parameters.error.message}`);
    }
    let toolbox: Toolbox;
    try {
      toolbox = await Toolbox.forTeam(input.env, input.teamId, step.tools);
    } catch (error) {
      throw new TurnSetupError('invalid_tools', error instanceof Error ? error.message : 'Invalid tools');
    }
    const instruction = store.turnInstruction(turnId);
    const window = windowMessages(store.historyFor(turnId), step.historyTokenBudget ?? HISTORY_BUDGET_TOKENS);
    const meta = store.getMeta<ConversationMeta>('conversation');
    // Attached images are read from R2 once per turn; every step of the tool-calling loop reuses them.
    const history = await withImages(window, {
      vision: provider.capabilities.vision,
      files: { bucket: input.env.FILES, teamId: input.teamId, conversationId: meta?.conversationId ?? '' },
    });
    // A triggered turn has no user message: the instruction takes its place for this one model call.
    const messages = instruction === null ? history : [...history, { role: 'user' as const, content: instruction }];
    const system = withPageContext(
      await systemPrompt(input, meta, store.turnUserMessages(turnId)),
      store.turnUserMessages(turnId),
    );
    const outcome = await runTurnSteps({
      provider,
      settings,
      toolbox,
      maxToolSteps: step.maxToolSteps,
      request: { model: step.model, system: system || undefined, messages, parameters: parameters.data },
      firstTokenTimeoutMs: step.firstTokenTimeoutMs ?? FIRST_TOKEN_TIMEOUT_MS,
      replyId: input.replyId,
      clock: input.clock,
      fetch: (request, init) => fetch(request, init),
      cancel: input.cancel,
      emit: input.emit,
    });
    if (instruction !== null) outcome.metadata.triggered = true;
    return outcome;
  } catch (error) {
    const known = error instanceof TurnSetupError;
    if (!known) console.error(JSON.stringify({ level: 'error', turnId, error: String(error) }));
    const failure = known
      ? { code: error.code, message: error.message }
      : { code: 'internal', message: 'The reply could not be generated' };
    return failedReply(failure);
  }
}
