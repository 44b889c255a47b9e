import { llmStep } from '../chatbots/definition.ts';
import { resolveProvider, TurnSetupError } from '../conversation/provider-settings.ts';
import type { ReplyOutcome } from '../conversation/stream-reply.ts';
import { Toolbox } from '../conversation/tool-runner.ts';
import { runTurnSteps } from '../conversation/turn-steps.ts';
import type { Env } from '../env.ts';
import { toV1 } from '../pipelines/definition.ts';
import { systemClock } from '../ports/clock.ts';
import { OpenAIError } from './errors.ts';
import { ChunkStream, chatCompletion, completionMeta, failureStatus } from './format.ts';
import { statelessRequest } from './messages.ts';
import type { ResolvedModel } from './models.ts';
import { effectiveParameters } from './parameters.ts';
import type { Background, ChatCompletionBody } from './schemas.ts';

// The conversation object's default for chatbots that set none: generous enough for slow reasoning models.
const FIRST_TOKEN_TIMEOUT_MS = 60_000;

/**
 * Answers from the messages the client sent, running the chatbot's LLM step (provider, prompt, parameters, tools)
 * in the Worker. Nothing is stored: the client owns the history, as with OpenAI's API.
 */
export async function statelessCompletion(
  env: Env,
  ctx: Background,
  teamId: string,
  resolved: ResolvedModel,
  body: ChatCompletionBody,
): Promise<Response> {
  const v1 = resolved.definition.schemaVersion === 1 ? resolved.definition : toV1(resolved.definition);
  // A stateless completion is one model call; a pipeline (several nodes, state across turns) needs a conversation.
  if (!v1) {
    throw new OpenAIError(
      400,
      'unsupported_model',
      'This chatbot is a pipeline: continue a conversation (X-Parley-Conversation-Id) instead of a stateless call.',
      'model',
    );
  }
  const step = llmStep(v1);
  const { system, messages } = statelessRequest(step.systemPrompt, body.messages);
  const setup = await setUp(env, teamId, step, body);
  const meta = completionMeta(body.model);
  const cancel = new AbortController();
  const run = (emitDelta: (text: string) => void): Promise<ReplyOutcome> =>
    runTurnSteps({
      ...setup,
      maxToolSteps: step.maxToolSteps,
      request: { model: step.model, system, messages, parameters: setup.parameters },
      firstTokenTimeoutMs: step.firstTokenTimeoutMs ?? FIRST_TOKEN_TIMEOUT_MS,
      replyId: meta.id,
      clock: systemClock,
      fetch: (request, init) => fetch(request, init),
      cancel: cancel.signal,
      emit: (event) => {
        if (event.type === 'delta') emitDelta(event.text);
      },
    });

  if (!body.stream) {
    const outcome = await run(() => {});
    if (outcome.error) throw new OpenAIError(failureStatus(outcome.error), outcome.error.code, outcome.error.message);
    return Response.json(chatCompletion(meta, outcome));
  }
  const stream = new ChunkStream(meta, body.stream_options?.include_usage === true, () =>
    cancel.abort(new Error('client disconnected')),
  );
  ctx.waitUntil(
    run((text) => stream.content(text)).then(
      (outcome) => (outcome.error ? stream.fail(outcome.error) : stream.finish(outcome.finishReason, outcome.usage)),
      (error: unknown) => {
        console.error(JSON.stringify({ level: 'error', completion: meta.id, error: String(error) }));
        stream.fail({ code: 'internal', message: 'The reply could not be generated' });
      },
    ),
  );
  return stream.response;
}

/** Provider, settings, parameters and tools for the step; a broken chatbot configuration is a 500 naming why. */
async function setUp(
  env: Env,
  teamId: string,
  step: ReturnType<typeof llmStep>,
  body: ChatCompletionBody,
): Promise<{
  provider: Awaited<ReturnType<typeof resolveProvider>>['provider'];
  settings: Record<string, unknown>;
  parameters: Record<string, unknown>;
  toolbox: Toolbox;
}> {
  try {
    const { provider, settings } = await resolveProvider(env, teamId, step);
    const parameters = effectiveParameters(provider, step.model, step.parameters, body);
    let toolbox: Toolbox;
    try {
      toolbox = await Toolbox.forTeam(env, teamId, step.tools);
    } catch (error) {
      throw new TurnSetupError('invalid_tools', error instanceof Error ? error.message : 'Invalid tools');
    }
    return { provider, settings, parameters, toolbox };
  } catch (error) {
    if (error instanceof TurnSetupError) throw new OpenAIError(failureStatus(error), error.code, error.message);
    throw error;
  }
}
