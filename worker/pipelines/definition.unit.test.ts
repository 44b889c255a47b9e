import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chatbotDefinition, llmNode, simpleDefinition } from '../chatbots/definition.ts';
import { compilePipeline } from './compile.ts';
import { anyDefinition, fromV1, pipelineDefinition, toPipeline, toV1 } from './definition.ts';
import { runPipeline } from './engine.ts';
import { kindRegistry } from './kinds.ts';
import { DEFAULT_PORT, defineNodeKind } from './node-kind.ts';
import { FakeClock } from './testing.ts';
import { validatePipeline } from './validate.ts';

/** A stand-in for next session's LLM kind, with exactly the v1 llm node's settings, answering with a fixed text. */
const llmStandIn = defineNodeKind({
  id: 'llm',
  displayName: 'LLM (stand-in)',
  description: 'test',
  settings: llmNode.omit({ id: true, type: true }),
  inputs: 'the user message',
  output: 'the reply',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  run: (ctx) => `${ctx.settings.model} says hi to ${String(ctx.input)}`,
});

const v1 = simpleDefinition(
  {
    providerId: 'openai',
    credentialId: 'cred_1',
    model: 'gpt-x',
    systemPrompt: 'Be brief.',
    parameters: { temperature: 0.2 },
    tools: ['clock'],
    maxToolSteps: 3,
    historyTokenBudget: 4_000,
  },
  { burstPolicy: 'merge', welcomeMessage: 'Hello', starterQuestions: ['What?'] },
);

describe('version 1 → pipeline', () => {
  it('converts losslessly to start → llm → end and back', () => {
    const converted = fromV1(v1);
    expect(pipelineDefinition.parse(converted)).toEqual(converted);
    expect(converted.nodes.map((node) => [node.id, node.kind])).toEqual([
      ['start', 'start'],
      ['llm', 'llm'],
      ['end', 'end'],
    ]);
    expect(converted.nodes[1]?.settings).toMatchObject({ model: 'gpt-x', systemPrompt: 'Be brief.', tools: ['clock'] });
    expect(toV1(converted)).toEqual(v1);
    expect(chatbotDefinition.parse(toV1(converted))).toEqual(v1);
  });

  it('the converted graph validates and runs with the llm kind plugged in', async () => {
    const kinds = kindRegistry(llmStandIn);
    const validated = await validatePipeline(fromV1(v1), kinds);
    expect(validated.issues).toEqual([]);
    const clock = new FakeClock();
    const run = await runPipeline({
      pipeline: compilePipeline(fromV1(v1), kinds),
      runId: 'r',
      input: 'Ada',
      session: {},
      participant: {},
      clock,
    });
    expect(run.replies).toEqual([{ nodeId: 'end', text: 'gpt-x says hi to Ada' }]);
  });

  it('both stored formats parse, and toPipeline reads either', () => {
    expect(anyDefinition.parse(v1)).toEqual(v1);
    const v2 = fromV1(v1);
    expect(anyDefinition.parse(v2)).toEqual(v2);
    expect(toPipeline(v1)).toEqual(v2);
    expect(toPipeline(v2)).toBe(v2);
  });

  it('toV1 is null for anything version 1 cannot say', () => {
    const v2 = fromV1(v1);
    expect(toV1({ ...v2, limits: { maxNodeRuns: 5 } })).toBeNull();
    expect(toV1({ ...v2, nodes: v2.nodes.map((node) => ({ ...node, timeoutMs: 1_000 })) })).toBeNull();
    expect(toV1({ ...v2, nodes: [...v2.nodes, { id: 'extra', kind: 'reply', settings: {} }] })).toBeNull();
  });
});

describe('pipeline definition schema', () => {
  it('refuses malformed nodes, edges, retry and timeout with the path of the field', async () => {
    const result = await validatePipeline(
      {
        schemaVersion: 2,
        nodes: [
          { id: 'start', kind: 'start', settings: {} },
          { id: 'Bad Id', kind: 'end', settings: {}, retry: { attempts: 0, backoffMs: 10 }, timeoutMs: 5 },
        ],
        edges: [{ from: 'start', fromPort: 'no spaces', to: 'end' }],
        settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
      },
      kindRegistry(),
    );
    expect(result.ok).toBe(false);
    expect(result.issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['nodes[1].id', 'invalid_definition'],
      ['nodes[1].retry.attempts', 'invalid_definition'],
      ['nodes[1].timeoutMs', 'invalid_definition'],
      ['edges[0].fromPort', 'invalid_definition'],
    ]);
  });

  it('exports settings that render as JSON Schema (what the editor gets)', () => {
    expect(z.toJSONSchema(pipelineDefinition, { io: 'input' })).toMatchObject({ type: 'object' });
  });
});
