import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { API_KEY } from './fake/server.ts';
import { fakeAction, scriptedChatbot } from './testing.ts';

/**
 * Issue 18's frozen-spec test through the whole tool loop: a model (the OpenAI fake, through the official SDK) calls
 * a custom action's operation in a conversation on a published version; the admin then edits the action (new base
 * URL, other operations) and deletes it, and the published version keeps calling the operation frozen at publish.
 */
describe('custom actions in a conversation', () => {
  it('calls an operation from the tool loop, frozen at publish through an edit and a delete, with no secret stored', async () => {
    const demo = await seedDemo();
    const action = await fakeAction(demo.teamId, ['getPet', 'withKey'], {
      kind: 'api_key',
      in: 'header',
      name: 'X-Api-Key',
      value: API_KEY,
    });
    const chatbotId = await scriptedChatbot(demo.teamId, [`action:${action.id}`]);
    const published = await api.send(demo.apiKey, 'POST', `/api/v1/chatbots/${chatbotId}/versions`, { note: 'v' });
    expect(published.status).toBe(201);
    const conversationId = await startConversation(demo.apiKey, chatbotId);

    const turn = async (name: string, args: Record<string, unknown>) => {
      const res = await SELF.fetch(
        `${BASE}/api/v1/conversations/${conversationId}/messages`,
        authed(demo.apiKey, {
          method: 'POST',
          body: JSON.stringify({ text: JSON.stringify([{ name, arguments: args }]) }),
        }),
      );
      expect(res.status).toBe(201);
      const { reply } = (await res.json()) as { reply: ConversationMessage };
      expect(reply.status).toBe('complete');
      const prefix = `Tool ${name} returned: `;
      expect(reply.content.startsWith(prefix), reply.content).toBe(true);
      return { reply, result: JSON.parse(reply.content.slice(prefix.length)) as Record<string, unknown> };
    };

    expect((await turn('getPet', { path: { petId: '7' } })).result).toEqual({
      status: 200,
      body: { id: '7', verbose: null, trace: null },
    });
    const keyed = await turn('withKey', {});
    expect(keyed.result).toEqual({ status: 200, body: { ok: 'key' } });
    // Neither the reply, its tool records, nor its trace hold the key.
    const trace = await api.get(
      demo.apiKey,
      `/api/v1/conversations/${conversationId}/messages/${keyed.reply.id}/trace`,
    );
    const stored = `${JSON.stringify(keyed.reply)}${await trace.text()}`;
    expect(stored).toContain('withKey');
    expect(stored).not.toContain(API_KEY);

    // The draft action moves elsewhere and offers other operations: the published version still has its own.
    const edited = await api.send(demo.apiKey, 'PATCH', `/api/v1/custom-actions/${action.id}`, {
      baseUrl: 'http://127.0.0.1:9/nowhere',
      selectedOperations: ['createPet'],
    });
    expect(edited.status).toBe(200);
    expect((await turn('getPet', { path: { petId: '8' } })).result).toMatchObject({ status: 200, body: { id: '8' } });
    expect((await turn('withKey', {})).result).toEqual({ status: 200, body: { ok: 'key' } });

    // Deleted: the frozen operation still answers (without auth, which went with the action).
    expect((await api.send(demo.apiKey, 'DELETE', `/api/v1/custom-actions/${action.id}`)).status).toBe(204);
    expect((await turn('getPet', { path: { petId: '9' } })).result).toMatchObject({ status: 200, body: { id: '9' } });
    expect((await turn('withKey', {})).result).toMatchObject({ status: 401 });
  });

  it('refuses to save a chatbot naming another team’s action', async () => {
    const owner = await seedDemo();
    const action = await fakeAction(owner.teamId, ['getPet']);
    const other = await seedDemo();
    const chatbotId = await scriptedChatbot(other.teamId, []);
    const res = await api.send(other.apiKey, 'POST', `/api/v1/chatbots/${chatbotId}/versions`, {});
    expect(res.status).toBe(201);
    const draft = await api.get(other.apiKey, `/api/v1/chatbots/${chatbotId}`);
    const { draft: current } = (await draft.json()) as { draft: { definition: { nodes: { tools?: string[] }[] } } };
    const definition = structuredClone(current.definition);
    for (const node of definition.nodes) if (node.tools) node.tools = [`action:${action.id}`];
    const saved = await api.send(other.apiKey, 'PATCH', `/api/v1/chatbots/${chatbotId}`, { definition });
    expect(saved.status).toBe(400);
    expect(await saved.text()).toContain('does not exist');
  });
});
