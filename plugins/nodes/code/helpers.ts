import type { JsonValue } from '../../sdk/index.ts';
import type { NodeContext, StateScope } from '../../sdk/node/kind.ts';
import type { SandboxHostFunction } from '../../sdk/node/sandbox.ts';
import { httpHelper } from './http.ts';
import type { CodeSettings } from './settings.ts';

/** What the guest asked for that only takes effect once its code has returned. */
export interface GuestEffects {
  route: string | null;
  abort: string | null;
}

const MAX_TAG_CHARS = 100;

/**
 * The helper API as host functions (README "Helpers"). State calls go straight to `ctx.state` (read-your-writes,
 * buffered by the engine until the superstep's barrier), so a failing node leaves no partial write behind.
 */
export function hostFunctions(
  ctx: NodeContext<CodeSettings>,
  effects: GuestEffects,
): Record<string, SandboxHostFunction> {
  const scoped = (scope: StateScope, label: string): Record<string, SandboxHostFunction> => ({
    [`get_${label}`]: (key) =>
      key === null || key === undefined ? { ...ctx.state.all(scope) } : (ctx.state.get(scope, asKey(key)) ?? null),
    [`set_${label}`]: (key, value) => void ctx.state.set(scope, asKey(key), value ?? null),
    [`append_${label}`]: (key, value) => void ctx.state.append(scope, asKey(key), value ?? null),
    [`increment_${label}`]: (key, by) => {
      const amount = by === null || by === undefined ? 1 : by;
      if (typeof amount !== 'number' || !Number.isFinite(amount)) throw new Error('increment needs a number');
      ctx.state.increment(scope, asKey(key), amount);
      return ctx.state.get(scope, asKey(key));
    },
    [`delete_${label}`]: (key) => void ctx.state.delete(scope, asKey(key)),
  });
  return {
    ...scoped('session', 'session_state'),
    ...scoped('participant', 'participant_data'),
    ...scoped('run', 'temp_state'),
    add_tag: (name, scope) => {
      if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_TAG_CHARS)
        throw new Error(`a tag is a non-empty string of at most ${MAX_TAG_CHARS} characters`);
      ctx.tag(name.trim(), scope === 'conversation' ? 'conversation' : 'reply');
      return null;
    },
    end_conversation: (reason) => void ctx.endConversation(typeof reason === 'string' ? reason : ''),
    abort_with_message: (message) => {
      effects.abort = typeof message === 'string' && message !== '' ? message : 'The conversation was stopped.';
      // Thrown so the code stops here; the node aborts the run with the message once the sandbox returns.
      throw new Error('abort_with_message');
    },
    route: (port) => {
      const routes = ctx.settings.routes;
      if (!routes) throw new Error('route() needs routes declared in the node settings');
      if (typeof port !== 'string' || !routes.includes(port))
        throw new Error(`route must be one of ${routes.map((r) => JSON.stringify(r)).join(', ')}`);
      if (effects.route !== null && effects.route !== port) throw new Error('route() was already called');
      effects.route = port;
      return null;
    },
    get_node_output: (nodeId) => {
      if (typeof nodeId !== 'string') throw new Error('get_node_output needs a node id');
      return ctx.inputs.findLast((input) => input.from === nodeId)?.value ?? null;
    },
    __http: httpHelper(ctx),
  };
}

function asKey(key: JsonValue | undefined): string {
  if (typeof key !== 'string' || key === '' || key.length > 200)
    throw new Error('a state key is a string of 1-200 characters');
  return key;
}
