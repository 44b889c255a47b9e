import type { PluginContext, TranscribeRequest } from '../../sdk/index.ts';
import { createClient } from './client.ts';
import { OpenAIProviderError, readableError } from './errors.ts';
import { openaiSdk } from './sdk.ts';
import type { OpenAISettings } from './settings.ts';

/** Used when the settings name no `transcriptionModel`: OpenAI's cheapest current speech-to-text model. */
export const DEFAULT_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';

/**
 * "File uploads are currently limited to 25 MB" (platform.openai.com/docs/guides/speech-to-text); the API counts
 * MiB (its 413 says "Maximum content size limit (26214400) exceeded"). Checked here so an oversized voice note fails
 * with a clear message instead of a 25 MB upload and a bare 413.
 */
export const MAX_TRANSCRIPTION_BYTES = 25 * 1024 * 1024;

/**
 * The API identifies the audio format by the file name's extension ("Invalid file format. Supported formats:
 * ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']"), so the upload is named after the
 * media type the channel reported. Telegram voice notes and WhatsApp audio are OGG/Opus.
 */
const EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'application/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'm4a',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
};

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
export function baseMediaType(mimeType: string): string {
  return mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Speech to text through `POST /audio/transcriptions` (multipart: `file`, `model`, optional `language`). */
export async function openaiTranscribe(
  ctx: PluginContext<OpenAISettings>,
  input: TranscribeRequest,
): Promise<{ text: string }> {
  const type = baseMediaType(input.mimeType);
  const extension = EXTENSIONS[type];
  if (!extension) {
    throw new OpenAIProviderError(
      `Cannot transcribe ${type || 'audio without a media type'}: OpenAI accepts FLAC, M4A, MP3, MP4, OGG, WAV and WebM`,
      undefined,
      'unsupported_audio_format',
    );
  }
  if (input.audio.byteLength === 0) {
    throw new OpenAIProviderError('Cannot transcribe an empty audio file', undefined, 'empty_audio');
  }
  if (input.audio.byteLength > MAX_TRANSCRIPTION_BYTES) {
    const megabytes = (input.audio.byteLength / (1024 * 1024)).toFixed(1);
    throw new OpenAIProviderError(
      `Cannot transcribe ${megabytes} MB of audio: OpenAI accepts at most 25 MB per file`,
      413,
      'audio_too_large',
    );
  }
  const client = await createClient(ctx);
  const { toFile } = await openaiSdk();
  try {
    const transcription = await client.audio.transcriptions.create(
      {
        file: await toFile(input.audio, `voice.${extension}`, { type }),
        model: ctx.settings.transcriptionModel ?? DEFAULT_TRANSCRIPTION_MODEL,
        ...(input.language ? { language: input.language } : {}),
      },
      { signal: ctx.signal },
    );
    return { text: transcription.text };
  } catch (error) {
    throw await readableError(error, ctx.settings);
  }
}
