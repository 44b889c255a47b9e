import type { ProviderPlugin } from '../../plugins/sdk/index.ts';
import { TurnSetupError } from '../conversation/provider-settings.ts';
import { OpenAIError } from './errors.ts';
import type { ChatCompletionBody } from './schemas.ts';

/** Client sampling fields and the Parley parameter each overrides. */
function overrides(body: ChatCompletionBody): { param: string; name: string; value: number }[] {
  const list: { param: string; name: string; value: number }[] = [];
  if (body.temperature != null) list.push({ param: 'temperature', name: 'temperature', value: body.temperature });
  if (body.top_p != null) list.push({ param: 'top_p', name: 'topP', value: body.top_p });
  // max_completion_tokens is the current name; max_tokens the deprecated one that many clients still send.
  if (body.max_completion_tokens != null) {
    list.push({ param: 'max_completion_tokens', name: 'maxTokens', value: body.max_completion_tokens });
  } else if (body.max_tokens != null) list.push({ param: 'max_tokens', name: 'maxTokens', value: body.max_tokens });
  return list;
}

/**
 * The chatbot's parameters with the client's overrides, validated by the provider for the model. A field the
 * provider does not take, or a value out of its range, is the client's 400; a chatbot whose own stored
 * parameters are invalid is a configuration error.
 */
export function effectiveParameters(
  provider: ProviderPlugin,
  model: string,
  chatbotParameters: Record<string, unknown>,
  body: ChatCompletionBody,
): Record<string, unknown> {
  const schema = provider.parameters(model);
  const merged: Record<string, unknown> = { ...chatbotParameters };
  const byName = new Map<string, string>();
  for (const override of overrides(body)) {
    if (!(override.name in schema.shape)) {
      throw new OpenAIError(
        400,
        'unsupported_parameter',
        `Unsupported parameter: '${override.param}' is not supported with this model.`,
        override.param,
      );
    }
    merged[override.name] = override.value;
    byName.set(override.name, override.param);
  }
  const parsed = schema.safeParse(merged);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const param = byName.get(String(issue.path[0]));
    if (param) throw new OpenAIError(400, 'invalid_value', `Invalid '${param}': ${issue.message}`, param);
  }
  throw new TurnSetupError('invalid_parameters', `Invalid model parameters: ${parsed.error.message}`);
}
