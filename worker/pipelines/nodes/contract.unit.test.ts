import { expect, it } from 'vitest';
import { nodeContract } from '../node-contract.ts';
import { builtinKinds } from './index.ts';

/** Every built-in kind passes the node contract (../node-contract.ts) with these example settings. */
const examples: Record<string, Record<string, unknown>> = {
  start: {},
  end: {},
  static_router: { source: 'input', rules: [{ port: 'yes', operator: 'equals', value: 'Hi' }], defaultPort: 'no' },
  set_state: { operations: [{ op: 'assign', scope: 'session', key: 'seen', value: true }] },
  reply: { text: 'Hello there' },
  end_conversation: { reason: 'done' },
  template: { template: 'You said {{ input }}' },
};

for (const kind of builtinKinds) nodeContract(kind, examples[kind.id] ?? {});

it('every built-in kind has a contract example', () => {
  expect(Object.keys(examples).sort()).toEqual(builtinKinds.map((kind) => kind.id).sort());
});
