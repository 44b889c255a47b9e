import { z } from 'zod';
import {
  DEFAULT_PORT,
  DEFAULT_TEMPLATE_LIMITS,
  defineNodeKind,
  NodeError,
  parseTemplate,
  renderTemplate,
} from '../../sdk/index.ts';

const settings = z.strictObject({
  // Same cap as a v1 system prompt (worker/chatbots/definition.ts).
  template: z
    .string()
    .min(1)
    .max(32_000)
    .superRefine((source, ctx) => {
      try {
        parseTemplate(source);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid template' });
      }
    }),
  maxOutputChars: z.number().int().min(1).max(100_000).optional(),
});

export const templateKind = defineNodeKind({
  id: 'template',
  displayName: 'Template',
  description:
    'Renders text with Jinja: variables input, node_inputs (every input in edge order), temp_state (run keys), session_state and participant_data; loops, conditionals and filters, no code execution.',
  settings,
  defaults: { template: '{{ input }}' },
  inputs: 'any value',
  output: 'the rendered text',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  silent: true,
  run: (ctx) => {
    const limits = {
      ...DEFAULT_TEMPLATE_LIMITS,
      ...(ctx.settings.maxOutputChars && { maxOutputChars: ctx.settings.maxOutputChars }),
    };
    try {
      // Names as in OCS's RenderTemplate node, so its templates carry over.
      return renderTemplate(
        parseTemplate(ctx.settings.template),
        {
          input: ctx.input,
          node_inputs: ctx.inputs.map((entry) => entry.value),
          temp_state: ctx.state.all('run'),
          session_state: ctx.state.all('session'),
          participant_data: ctx.state.all('participant'),
        },
        limits,
      );
    } catch (error) {
      if (error instanceof NodeError) throw error;
      // Errors of the template itself (an undefined operation, a bad filter) are the same on every retry.
      throw new NodeError(`template: ${error instanceof Error ? error.message : String(error)}`);
    }
  },
});
