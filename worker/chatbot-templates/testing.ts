import { z } from 'zod';
import type { JsonValue } from '../../plugins/sdk/json.ts';
import { DEFAULT_PORT, defineNodeKind, type NodeKind } from '../pipelines/node-kind.ts';
import { asText } from '../pipelines/nodes/shared.ts';

/**
 * Test stand-ins for the model and side-effect kinds, so the templates' graphs run in the pure engine (unit tests):
 * deterministic "models" that read the user's message, and an email outbox. Only the graph is under test here; the
 * real kinds run in the end-to-end tests (templates.test.ts, e2e/pipelines.e2e.ts). Settings are loose on purpose:
 * the real kinds' schemas validate the templates in catalog.unit.test.ts.
 */

const loose = z.looseObject({});

/** llm: answers `[<node id>] <its input>`, so a test sees which LLM answered. */
const llm = defineNodeKind({
  id: 'llm',
  displayName: 'LLM (stand-in)',
  description: 'test',
  settings: loose,
  inputs: 'any',
  output: 'text',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  run: (ctx) => `[${ctx.nodeId}] ${asText(ctx.runInput)}`,
});

const routerSettings = z.looseObject({
  routes: z.array(z.looseObject({ name: z.string() })),
  defaultRoute: z.string(),
});

/** llm_router: the first route whose name appears in the user's message, else the default. */
const llmRouter = defineNodeKind({
  id: 'llm_router',
  displayName: 'LLM router (stand-in)',
  description: 'test',
  settings: routerSettings,
  inputs: 'any',
  output: 'its input',
  acceptsInput: true,
  ports: (settings: z.infer<typeof routerSettings>) => settings.routes.map((route) => route.name),
  routes: true,
  run: (ctx) => {
    const text = asText(ctx.runInput).toLowerCase();
    const route = ctx.settings.routes.find((candidate) => text.includes(candidate.name));
    ctx.route(route?.name ?? ctx.settings.defaultRoute);
    return ctx.input;
  },
});

/** update_participant_data: "name: X", an email address and "reason: Y" in the message become participant data. */
const updateParticipantData = defineNodeKind({
  id: 'update_participant_data',
  displayName: 'Update participant data (stand-in)',
  description: 'test',
  settings: loose,
  inputs: 'any',
  output: 'the extracted fields',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  run: (ctx) => {
    const text = asText(ctx.runInput);
    const found: Record<string, JsonValue> = {};
    const name = /name:\s*([^,.;]+)/i.exec(text)?.[1];
    const email = /[\w.+-]+@[\w-]+\.[\w.]+/.exec(text)?.[0];
    const reason = /reason:\s*([^;]+)/i.exec(text)?.[1];
    if (name) found.name = name.trim();
    if (email) found.email = email;
    if (reason) found.reason = reason.trim();
    for (const [key, value] of Object.entries(found)) ctx.state.set('participant', key, value);
    return found;
  },
});

/** code: runs `main(input)` of the node's code with `new Function` (Node only: the real kind uses the sandbox). */
const code = defineNodeKind({
  id: 'code',
  displayName: 'Code (stand-in)',
  description: 'test',
  settings: z.looseObject({ code: z.string() }),
  inputs: 'any',
  output: 'what main returns',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  run: (ctx) => {
    const main = new Function(`${ctx.settings.code}\nreturn main;`)() as (input: JsonValue) => JsonValue;
    return main(ctx.input);
  },
});

export interface SentEmail {
  nodeId: string;
  settings: Record<string, unknown>;
  temp: Record<string, JsonValue>;
}

/** send_email: records the node's settings and the run keys it could template from. */
function sendEmail(outbox: SentEmail[]): NodeKind {
  return defineNodeKind({
    id: 'send_email',
    displayName: 'Send email (stand-in)',
    description: 'test',
    settings: loose,
    inputs: 'any',
    output: '{ id }',
    acceptsInput: true,
    ports: () => [DEFAULT_PORT],
    routes: false,
    run: (ctx) => {
      outbox.push({ nodeId: ctx.nodeId, settings: { ...ctx.settings }, temp: { ...ctx.state.all('run') } });
      return { id: `email-${outbox.length}` };
    },
  });
}

/** Every stand-in; pass an outbox to see the emails. */
export function standInKinds(outbox: SentEmail[] = []): NodeKind[] {
  return [llm, llmRouter, updateParticipantData, code, sendEmail(outbox)];
}

export const STAND_IN_IDS = ['llm', 'llm_router', 'update_participant_data', 'code', 'send_email'] as const;
