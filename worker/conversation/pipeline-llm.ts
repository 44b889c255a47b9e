import type { ChatRequest, JsonObject, JsonValue } from '../../plugins/sdk/index.ts';
import { validateJson } from '../../plugins/sdk/json-schema.ts';
import { NodeError } from '../../plugins/sdk/node/kind.ts';
import type { NodeChatRequest, NodeChatResult, NodeLlm, RetrievedChunk } from '../../plugins/sdk/node/services.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import { sessionHooks } from '../tools/builtin/session-state-tools.ts';
import { toolboxFor } from '../tools/toolbox.ts';
import { type ApprovalGate, approvalCheck } from './approval-policy.ts';
import { type MessageContext, withPageContext } from './message-extras.ts';
import type { ConversationMeta } from './meta.ts';
import { parameterSchema } from './parameter-schemas.ts';
import { PromptSources } from './prompt-sources.ts';
import { renderPrompt, usesVariables } from './prompt-variables.ts';
import type { ConversationEventBody, MessageError } from './protocol.ts';
import type { ProviderCache } from './provider-cache.ts';
import { resolveProvider, TurnSetupError } from './provider-settings.ts';
import type { ConversationStore } from './store.ts';
import type { ReplyOutcome } from './stream-reply.ts';
import type { Toolbox } from './tool-runner.ts';
import { runTurnSteps } from './turn-steps.ts';

// v1's default for chatbots that set none: generous enough for slow reasoning models.
const FIRST_TOKEN_TIMEOUT_MS = 60_000;

/** A reply message an LLM call streams into: created when the call starts, finished by the turn. */
export interface StreamSink {
  replyId: string;
  emit(event: ConversationEventBody): void;
}

export interface PipelineLlmHost {
  env: Env;
  store: ConversationStore;
  clock: Clock;
  providers: ProviderCache;
  meta: ConversationMeta;
  turnId: string;
  /** The turn's cancellation (the client's stop). */
  cancel: AbortSignal;
  /** Opens the streamed reply of `nodeId` when the streaming rule allows it now, else null. */
  openStream(nodeId: string, request: NodeChatRequest): StreamSink | null;
  /** How a streamed call ended (the turn finishes its message with it). */
  streamEnded(nodeId: string, outcome: ReplyOutcome): void;
  /** The v1-style error of a node's last failed call, so a failed run without a fallback ends as v1 replies did. */
  failed(nodeId: string, error: MessageError): void;
  /** Calls in flight, awaited before the turn finishes its messages. */
  track(call: Promise<unknown>): void;
  /**
   * A call succeeded with `text`, given these knowledge chunks (`request.sources`, read when the call ends: a
   * `search_knowledge` tool fills them in during the call): a reply of that text cites them when it cites none by number.
   */
  answered?(text: string, sources: readonly RetrievedChunk[]): void;
  /** Where a person can approve tool calls (absent: the node's `otherwise` rule decides). */
  approvals?: ApprovalGate;
}

/** Provider errors worth another attempt: rate limits, server errors and timeouts (the NodeError's `retryable`). */
export function retryableError(error: MessageError): boolean {
  if (error.code === 'first_token_timeout') return true;
  if (error.code !== 'provider_error') return false;
  return /\b(429|5\d\d)\b|timed? ?out|timeout/i.test(error.message);
}

/** The model service of one run: the v1 step's pieces (provider cache, parameters, tools, prompt variables). */
export class PipelineLlm {
  private readonly sources: PromptSources;

  constructor(private readonly host: PipelineLlmHost) {
    this.sources = new PromptSources(host.env, host.meta);
  }

  forNode(nodeId: string): NodeLlm {
    return {
      chat: (request) => {
        const call = this.chat(nodeId, request);
        this.host.track(call);
        return call;
      },
    };
  }

  private async system(template: string | undefined, userFacing: boolean): Promise<string | undefined> {
    const { host } = this;
    let system = template ?? '';
    const turnMessages = userFacing ? host.store.turnUserMessages(host.turnId) : [];
    if (usesVariables(system)) {
      const page = turnMessages.findLast((message) => message.metadata.context)?.metadata.context as
        | MessageContext
        | undefined;
      // The participant (D1) and their schedules (their object) are read only when a prompt names them, once per run.
      system = renderPrompt(system, await this.sources.values(system, page, host.clock.now()));
    }
    if (userFacing) system = withPageContext(system, turnMessages);
    return system || undefined;
  }

  private async chat(nodeId: string, request: NodeChatRequest): Promise<NodeChatResult> {
    const { host } = this;
    const fail = (error: MessageError): never => {
      host.failed(nodeId, error);
      throw new NodeError(error.message, retryableError(error));
    };
    // A user-facing call is the one that may stream; v1 prompts' page context belongs to it.
    const sink = request.stream ? host.openStream(nodeId, request) : null;
    let outcome: ReplyOutcome;
    try {
      const { provider, settings } = await host.providers.get(host.meta.teamId, request, () =>
        resolveProvider(host.env, host.meta.teamId, request),
      );
      const parameters = parameterSchema(provider, request.model).safeParse(request.parameters);
      if (!parameters.success) {
        throw new TurnSetupError('invalid_parameters', `Invalid model parameters: ${parameters.error.message}`);
      }
      let toolbox: Toolbox;
      try {
        const { meta } = host;
        const turn = {
          env: host.env,
          teamId: meta.teamId,
          chatbotId: meta.chatbotId,
          chatbotVersionId: meta.chatbotVersionId,
          conversationId: meta.conversationId,
          participantId: meta.participantId ?? null,
          clock: host.clock,
          ...(request.turnHooks && sessionHooks(request.turnHooks)),
        };
        toolbox = (await toolboxFor(turn, request.tools ?? [])).withHostTools(request.hostTools ?? []);
      } catch (error) {
        throw new TurnSetupError('invalid_tools', error instanceof Error ? error.message : 'Invalid tools');
      }
      const chatRequest: ChatRequest = {
        model: request.model,
        system: await this.system(request.system, request.stream === true),
        messages: request.messages,
        parameters: parameters.data,
        ...(request.responseSchema && {
          responseFormat: {
            type: 'json_schema',
            name: request.responseSchema.name,
            schema: request.responseSchema.schema,
          },
        }),
      };
      const cancel = request.signal ? AbortSignal.any([host.cancel, request.signal]) : host.cancel;
      const at = { nodeId, messageId: sink?.replyId ?? null, signal: cancel };
      outcome = await runTurnSteps({
        provider,
        settings,
        toolbox,
        maxToolSteps: request.maxToolSteps ?? 1,
        request: chatRequest,
        firstTokenTimeoutMs: request.firstTokenTimeoutMs ?? FIRST_TOKEN_TIMEOUT_MS,
        replyId: sink?.replyId ?? '',
        clock: host.clock,
        fetch: (input, init) => fetch(input, init),
        cancel,
        emit: sink ? sink.emit : () => {},
        approve: approvalCheck(request.approval, host.approvals, at),
      });
      if (host.store.turnInstruction(host.turnId) !== null && request.stream) outcome.metadata.triggered = true;
    } catch (error) {
      const known = error instanceof TurnSetupError;
      if (!known) console.error(JSON.stringify({ level: 'error', turnId: host.turnId, nodeId, error: String(error) }));
      const failure = known
        ? { code: error.code, message: error.message }
        : { code: 'internal', message: 'The reply could not be generated' };
      outcome = {
        content: '',
        status: 'error',
        error: failure,
        usage: null,
        finishReason: 'error',
        metadata: {},
        toolCalls: [],
      };
    }
    if (sink) host.streamEnded(nodeId, outcome);
    if (outcome.status === 'error') return fail(outcome.error ?? { code: 'internal', message: 'failed' });
    if (request.sources) host.answered?.(outcome.content, request.sources);
    const result: NodeChatResult = {
      text: outcome.content,
      usage: outcome.usage,
      finishReason: outcome.finishReason,
      streamed: sink !== null,
      metadata: outcome.metadata,
    };
    if (request.responseSchema) result.json = parseStructured(outcome.content, request.responseSchema.schema);
    return result;
  }
}

/** A structured answer: JSON valid against the schema, else a retryable NodeError (the model may do better). */
function parseStructured(text: string, schema: JsonObject): JsonValue {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    throw new NodeError(`the model's answer is not JSON: ${text.slice(0, 200)}`, true);
  }
  const check = validateJson(schema, value);
  if (!check.valid)
    throw new NodeError(`the model's answer does not match the schema: ${check.errors.join('; ')}`, true);
  return value;
}
