import type { ModelInfo, PluginContext } from '../../sdk/index.ts';
import { baseModelId, modelFacts } from './catalog.ts';
import { type ClientSettings, createClient } from './client.ts';
import { readableError } from './errors.ts';

/**
 * Models the models endpoint lists that cannot chat through Chat Completions: embeddings, speech, transcription,
 * images, moderation, realtime/audio-only, legacy completions (`davinci`, `-instruct`) and the Responses-only
 * models (`-pro`, deep research, computer use, codex). See platform.openai.com/docs/models.
 */
const NOT_CHAT = new RegExp(
  [
    'embed',
    '^tts|-tts|whisper|transcribe|-audio|realtime',
    'dall-e|gpt-image|^sora',
    'moderation',
    'davinci|babbage|-instruct',
    '-pro(-|$)|deep-research|computer-use|codex',
  ].join('|'),
);

/** The account's chat models, sorted by id; anything a compatible server lists passes unless it is clearly not chat. */
export async function openaiModels(ctx: PluginContext<ClientSettings>): Promise<ModelInfo[]> {
  const client = await createClient(ctx);
  const models: ModelInfo[] = [];
  try {
    for await (const model of client.models.list({ signal: ctx.signal })) {
      if (NOT_CHAT.test(baseModelId(model.id))) continue;
      const contextWindow = reportedContextWindow(model) ?? modelFacts(model.id)?.contextWindow;
      models.push(
        contextWindow === undefined
          ? { id: model.id, displayName: model.id }
          : { id: model.id, displayName: model.id, contextWindow },
      );
    }
  } catch (error) {
    throw await readableError(error, ctx.settings);
  }
  return models.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Some compatible servers add the context window to each model: Groq as `context_window`, OpenRouter as
 * `context_length`, vLLM as `max_model_len`. OpenAI itself does not.
 */
function reportedContextWindow(model: object): number | undefined {
  for (const field of ['context_window', 'context_length', 'max_model_len']) {
    const value: unknown = Object.getOwnPropertyDescriptor(model, field)?.value;
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return undefined;
}
