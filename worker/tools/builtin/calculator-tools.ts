import type { HostTool, JsonValue } from '../../../plugins/sdk/index.ts';
import { evaluate, MAX_EXPRESSION_CHARS } from './calculator.ts';

/** The built-in `calculator` set: pure arithmetic, touches nothing. */
export function calculatorTools(): HostTool[] {
  return [
    {
      name: 'calculate',
      description:
        'Evaluate an arithmetic expression exactly: + - * / % ^, parentheses, decimals, ' +
        'sqrt, abs, round(x, digits), floor, ceil, min, max, ln, log10, pi, e.',
      parameters: {
        type: 'object',
        properties: {
          expression: {
            type: 'string',
            minLength: 1,
            maxLength: MAX_EXPRESSION_CHARS,
            description: 'e.g. (2 + 3) * 4',
          },
        },
        required: ['expression'],
        additionalProperties: false,
      },
      run: async (args): Promise<JsonValue> => {
        const result = evaluate(String(args.expression));
        return result.ok ? { result: result.value } : { error: result.error };
      },
    },
  ];
}
