import type { JsonValue } from '../../sdk/index.ts';
import { DEFAULT_PORT, type NodeContext, NodeError } from '../../sdk/node/kind.ts';
import type { SandboxError } from '../../sdk/node/sandbox.ts';
import { type GuestEffects, hostFunctions } from './helpers.ts';
import { PRELUDE } from './prelude.ts';
import type { CodeSettings } from './settings.ts';

/** Lines of console output quoted in a failure's message (the whole log is in the output with `returnLogs`). */
const LOGS_IN_ERROR = 5;

/**
 * Runs `main(input, ctx)` in the sandbox. The value it returns (or resolves to) is the node's output; a router's
 * code must call `route(name)`; `abort_with_message` ends the run with that message as the last reply. Errors
 * become a NodeError carrying the guest's message and line, never retryable: the same code fails the same way.
 */
export async function runCode(ctx: NodeContext<CodeSettings>): Promise<JsonValue> {
  const effects: GuestEffects = { route: null, abort: null };
  const { conversation } = ctx.services;
  const guestCtx: JsonValue = {
    runId: ctx.runId,
    nodeId: ctx.nodeId,
    attempt: ctx.attempt,
    runInput: ctx.runInput,
    inputs: ctx.inputs.map((input) => ({ from: input.from, port: input.port, value: input.value })),
    conversation: { channel: conversation.channel, hasParticipant: conversation.participantId !== null },
    routes: ctx.settings.routes ?? [],
  };
  const result = await ctx.services.sandbox.run({
    code: `${ctx.settings.code}\n${PRELUDE}`,
    entry: 'main',
    args: [ctx.input, guestCtx],
    host: hostFunctions(ctx, effects),
    limits: ctx.settings.limits ?? {},
    signal: ctx.signal,
  });
  if (effects.abort !== null) ctx.abort(effects.abort);
  if (!result.ok) throw new NodeError(describeFailure(result.error, result.logs));
  if (ctx.settings.routes) {
    if (effects.route === null)
      throw new NodeError(`the code must call route() with one of: ${ctx.settings.routes.join(', ')}`);
    ctx.route(effects.route);
  } else ctx.route(DEFAULT_PORT);
  return ctx.settings.returnLogs ? { value: result.value, logs: result.logs } : result.value;
}

function describeFailure(error: SandboxError, logs: readonly string[]): string {
  const where = error.line === undefined ? '' : ` (line ${error.line})`;
  const tail = logs.length === 0 ? '' : `\nlast console output:\n${logs.slice(-LOGS_IN_ERROR).join('\n')}`;
  const label: Record<SandboxError['kind'], string> = {
    syntax: 'the code does not parse',
    runtime: 'the code failed',
    budget: 'the code took too long',
    memory: 'the code used too much memory',
    stack: 'the code recursed too deeply',
    output: 'the code returned too much',
    cancelled: 'the code was cancelled',
  };
  return `${label[error.kind]}${where}: ${error.message}${tail}`;
}
