import { z } from 'zod';
import { DEFAULT_PORT, defineNodeKind, stateKey, stateScopes } from '../../sdk/index.ts';

const operation = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('assign'),
    scope: z.enum(stateScopes),
    key: stateKey,
    /** The value to store; omitted means the node's input. */
    value: z.json().optional(),
  }),
  z.strictObject({ op: z.literal('append'), scope: z.enum(stateScopes), key: stateKey, value: z.json().optional() }),
  z.strictObject({
    op: z.literal('increment'),
    scope: z.enum(stateScopes),
    key: stateKey,
    by: z.number().finite().optional(),
  }),
  z.strictObject({ op: z.literal('delete'), scope: z.enum(stateScopes), key: stateKey }),
]);

export const setStateKind = defineNodeKind({
  id: 'set_state',
  displayName: 'Set state',
  description:
    'Assigns, appends to, increments or deletes keys of the run, the session state or the participant data, in the listed order.',
  settings: z.strictObject({ operations: z.array(operation).min(1).max(20) }),
  defaults: { operations: [{ op: 'assign', scope: 'session', key: 'last_message' }] },
  inputs: 'any value (used as the value of assign/append operations without one)',
  output: 'its input, unchanged',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  silent: true,
  run: (ctx) => {
    for (const operation of ctx.settings.operations) {
      const { scope, key } = operation;
      if (operation.op === 'assign') ctx.state.set(scope, key, operation.value ?? ctx.input);
      else if (operation.op === 'append') ctx.state.append(scope, key, operation.value ?? ctx.input);
      else if (operation.op === 'increment') ctx.state.increment(scope, key, operation.by ?? 1);
      else ctx.state.delete(scope, key);
    }
    return ctx.input;
  },
});
