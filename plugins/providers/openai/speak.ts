import type { PluginContext, SpeakRequest } from '../../sdk/index.ts';
import { createClient } from './client.ts';
import { OpenAIProviderError, readableError } from './errors.ts';
import type { OpenAISettings } from './settings.ts';

export const SPEECH_MODEL = 'gpt-4o-mini-tts';
export const DEFAULT_VOICE = 'alloy';

/** "The text to generate audio for. The maximum length is 4096 characters." (API reference, audio/createSpeech). */
export const MAX_SPEECH_INPUT_CHARACTERS = 4096;

/**
 * `response_format: 'opus'` is Opus in an Ogg container: what Telegram wants for a voice note (sendVoice: "OGG
 * file encoded with OPUS") and one of WhatsApp's accepted audio types (audio/ogg, Opus codecs only).
 */
const SPEECH_MEDIA_TYPE = 'audio/ogg';

/** Text to speech through `POST /audio/speech`; the answer body is the audio itself. */
export async function openaiSpeak(
  ctx: PluginContext<OpenAISettings>,
  input: SpeakRequest,
): Promise<{ audio: ArrayBuffer; mimeType: string }> {
  const text = input.text.trim();
  if (text === '') throw new OpenAIProviderError('Cannot speak an empty text', undefined, 'empty_input');
  // The API counts characters, not UTF-16 code units: an emoji is one character to it, two to `String.length`.
  const characters = [...text].length;
  if (characters > MAX_SPEECH_INPUT_CHARACTERS) {
    throw new OpenAIProviderError(
      `Cannot speak ${characters} characters: OpenAI text-to-speech accepts at most ${MAX_SPEECH_INPUT_CHARACTERS}`,
      undefined,
      'input_too_long',
    );
  }
  const client = await createClient(ctx);
  try {
    const response = await client.audio.speech.create(
      { model: SPEECH_MODEL, voice: input.voice ?? DEFAULT_VOICE, input: text, response_format: 'opus' },
      { signal: ctx.signal },
    );
    const audio = await response.arrayBuffer();
    if (audio.byteLength === 0) throw new Error('the server answered no audio');
    return { audio, mimeType: SPEECH_MEDIA_TYPE };
  } catch (error) {
    throw await readableError(error, ctx.settings);
  }
}
