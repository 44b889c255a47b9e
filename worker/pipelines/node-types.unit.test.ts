import { expect, it } from 'vitest';
import { describeNodeKind } from './node-types.ts';
import { builtinKinds } from './nodes/index.ts';

it('describes every built-in kind with its settings as JSON Schema', () => {
  const described = builtinKinds.map(describeNodeKind);
  expect(described.map((kind) => kind.id)).toEqual([
    'start',
    'end',
    'static_router',
    'set_state',
    'reply',
    'end_conversation',
    'template',
  ]);
  const router = described.find((kind) => kind.id === 'static_router');
  expect(router).toMatchObject({ routes: true, acceptsInput: true });
  expect(router?.settingsSchema).toMatchObject({
    type: 'object',
    required: expect.arrayContaining(['source', 'rules', 'defaultPort']),
    properties: { source: { enum: ['input', 'run', 'session', 'participant'] } },
  });
  expect(described.find((kind) => kind.id === 'template')?.settingsSchema).toMatchObject({
    properties: { template: { type: 'string', maxLength: 32_000 } },
  });
  // Plain JSON, ready to be an API response.
  expect(JSON.parse(JSON.stringify(described))).toEqual(described);
});
