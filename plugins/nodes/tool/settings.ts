import { z } from 'zod';
import { parseTemplate, stateKey } from '../../sdk/index.ts';

/** A template argument's size: the HTTP request node's cap for its templates. */
export const MAX_TEMPLATE_CHARS = 8_000;
/** All arguments as JSON: twice a tool result's cap (16,000) is more than any function's arguments need. */
export const MAX_ARGUMENTS_CHARS = 32_000;
/** More arguments than any function of the built-in sets or a typical MCP tool takes. */
export const MAX_ARGUMENTS = 50;

/** A string argument is a Jinja template (rendered to text); any other JSON value is passed as it is. */
const argument = z.json().superRefine((value, ctx) => {
  if (typeof value !== 'string') return;
  if (value.length > MAX_TEMPLATE_CHARS) {
    ctx.addIssue({ code: 'custom', message: `a template of at most ${MAX_TEMPLATE_CHARS} characters` });
    return;
  }
  try {
    parseTemplate(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid template' });
  }
});

export const toolNodeSettings = z.strictObject({
  tool: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .describe('The tool to call, as the tool catalog names it: builtin:calculator, mcp:<server>/<tool>, clock…'),
  function: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a function name: letters, digits, _ and - (at most 64)')
    .optional()
    .describe('Which of its functions to call; may be left out when the tool has exactly one'),
  arguments: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'an argument name (at most 64 characters)'), argument)
    .default({})
    .refine((args) => Object.keys(args).length <= MAX_ARGUMENTS, `at most ${MAX_ARGUMENTS} arguments`)
    .refine(
      (args) => JSON.stringify(args).length <= MAX_ARGUMENTS_CHARS,
      `at most ${MAX_ARGUMENTS_CHARS} characters of arguments`,
    )
    .describe(
      'Arguments by name: a string is a template over input, node_inputs, temp_state, session_state and ' +
        'participant_data ({{ input }}); numbers, booleans, lists and objects are passed as they are',
    ),
  outputKey: stateKey.optional().describe('Run key the result is also stored under (temp_state.<key>)'),
});

export type ToolNodeSettings = z.infer<typeof toolNodeSettings>;
