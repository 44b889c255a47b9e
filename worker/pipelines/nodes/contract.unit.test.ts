import { expect, it } from 'vitest';
import { nodeContract } from '../node-contract.ts';
import { builtinKinds } from './index.ts';

/**
 * The engine's built-in kinds (start, end) pass the node contract (../node-contract.ts) with these example settings;
 * the plugin kinds run the SDK's contract in their own folders (plugins/nodes/*).
 */
const examples: Record<string, Record<string, unknown>> = { start: {}, end: {} };

for (const kind of builtinKinds) nodeContract(kind, examples[kind.id] ?? {});

it('every built-in kind has a contract example', () => {
  expect(Object.keys(examples).sort()).toEqual(builtinKinds.map((kind) => kind.id).sort());
});
