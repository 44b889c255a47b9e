import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { updateParticipantDataNode } from './index.ts';

const schema = {
  type: 'object',
  properties: {
    name: { type: ['string', 'null'] },
    age: { type: ['integer', 'null'], minimum: 0 },
    interests: { type: 'array', items: { type: 'string' } },
  },
  required: ['name', 'age'],
};
const settings = { providerId: 'openai', credentialId: 'cred_1', model: 'gpt-4o-mini', schema };

runNodeContract(updateParticipantDataNode, {
  examples: [
    {
      settings,
      input: 'I am Ada, 36',
      services: () => fakeNodeServices({ llm: () => ({ json: { name: 'Ada', age: 36 } }) }),
    },
  ],
  invalidSettings: [
    {
      settings: { ...settings, schema: { type: 'object', properties: { 'first name': { type: 'string' } } } },
      why: 'a property that is not a participant-data key',
    },
    { settings: { ...settings, key: 'x' }, why: 'no run key: the data goes to participant data' },
    { settings: { ...settings, schema: { type: 'object', properties: { a: { type: 'text' } } } }, why: 'bad type' },
  ],
});

const kind = updateParticipantDataNode.node;

describe('update_participant_data', () => {
  it('merges each top-level key into participant data: values replace, null deletes, absent keys stay', async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { name: 'Ada', age: null } }) });
    const result = await runNodeKind(kind, {
      settings,
      input: 'Call me Ada; forget my age',
      state: { participant: { name: 'A.', age: 35, interests: ['chess'], plan: 'pro' } },
      services,
    });
    expect(result.writes).toEqual([
      { scope: 'participant', key: 'name', op: 'set', value: 'Ada' },
      { scope: 'participant', key: 'age', op: 'delete' },
    ]);
    expect(result.state.participant).toEqual({ name: 'Ada', interests: ['chess'], plan: 'pro' });
    expect(result.output).toEqual({ name: 'Ada', age: null });
  });

  it("shows the model the participant's current values for the schema's keys only", async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { name: 'Ada', age: 36 } }) });
    await runNodeKind(kind, {
      settings,
      input: 'I turned 36',
      state: { participant: { name: 'Ada', secret_note: 'vip' } },
      services,
    });
    expect(services.chats[0]?.system).toContain('{"name":"Ada"}');
    expect(services.chats[0]?.system).not.toContain('vip');
  });

  it('replaces a list whole rather than merging it', async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { name: null, age: null, interests: ['go'] } }) });
    const result = await runNodeKind(kind, {
      settings,
      input: 'I only like go now',
      state: { participant: { interests: ['chess'] } },
      services,
    });
    expect(result.state.participant).toEqual({ interests: ['go'] });
  });

  it('writes nothing when the answer does not match the schema', async () => {
    const services = fakeNodeServices({ llm: () => ({ json: { name: 'Ada', age: -1 } }) });
    await expect(runNodeKind(kind, { settings, input: 'x', services })).rejects.toThrow(/\/age: /);
  });
});
