import { z } from 'zod';
import type { JsonValue, NodePlugin } from '../../sdk/index.ts';
import { DEFAULT_PORT, defineNodeKind, type NodeContext, NodeError } from '../../sdk/node/kind.ts';
import { parseTemplate, renderTemplate } from '../../sdk/template/render.ts';

// One address, loosely: a local part, `@`, a dotted domain. Templates are checked after rendering.
const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;
const MAX_RECIPIENTS = 10;

const settings = z.object({
  to: z.string().min(1).max(1_000).describe('Recipients template, comma-separated, e.g. {{ state.participant.email }}'),
  subject: z.string().min(1).max(1_000).describe('Subject template'),
  body: z.string().min(1).max(20_000).describe('Plain-text body template'),
  replyTo: z.string().max(320).optional(),
});
type Settings = z.infer<typeof settings>;

/**
 * Sends one email through the team's email sender (`ctx.services.email`: its configured plugin, or the local sink in
 * development). The idempotency key is `runId:nodeId`, without the attempt: a retry after a timeout whose first send
 * did go out must not send twice.
 */
async function sendEmail(ctx: NodeContext<Settings>): Promise<JsonValue> {
  const variables = {
    input: ctx.input,
    run_input: ctx.runInput,
    state: { session: ctx.state.all('session'), participant: ctx.state.all('participant'), temp: ctx.state.all('run') },
  };
  const render = (field: string, source: string) => {
    try {
      return renderTemplate(parseTemplate(source), variables, { maxOutputChars: 20_000, maxSteps: 20_000 });
    } catch (error) {
      throw new NodeError(`${field}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const to = render('to', ctx.settings.to)
    .split(/[,;\n]/)
    .map((address) => address.trim())
    .filter((address) => address !== '');
  if (to.length === 0) throw new NodeError('to: the rendered recipients are empty');
  if (to.length > MAX_RECIPIENTS) throw new NodeError(`to: at most ${MAX_RECIPIENTS} recipients`);
  const bad = to.find((address) => !ADDRESS.test(address));
  if (bad !== undefined) throw new NodeError(`to: not an email address: ${bad.slice(0, 100)}`);
  const subject = render('subject', ctx.settings.subject)
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .slice(0, 998);
  const text = render('body', ctx.settings.body);
  const { id } = await ctx.services.email.send({
    to,
    subject,
    text,
    ...(ctx.settings.replyTo && { replyTo: ctx.settings.replyTo }),
    idempotencyKey: `${ctx.runId}:${ctx.nodeId}`,
  });
  return { id, to, subject };
}

export const sendEmailNode = defineNodeKind({
  id: 'send_email',
  displayName: 'Send email',
  description: 'Sends an email (templated recipients, subject and body) through the team’s email sender',
  settings,
  defaults: { to: '{{ state.participant.email }}', subject: 'A message from the chatbot', body: '{{ input }}' },
  inputs: 'Any JSON, available to the templates as input',
  output: '{ id, to, subject } of the sent message',
  acceptsInput: true,
  routes: false,
  silent: true,
  ports: () => [DEFAULT_PORT],
  run: sendEmail,
});

export const sendEmailNodePlugin: NodePlugin = {
  id: 'send-email',
  kind: 'node',
  displayName: 'Send email node',
  description: 'Pipeline node that sends email through the team’s email sender',
  version: '1.0.0',
  settings: z.object({}),
  secrets: [],
  node: sendEmailNode,
};
