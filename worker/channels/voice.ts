import type { Env } from '../env.ts';
import type { ChannelRuntime } from './runtime.ts';
import { type SpeechProvider, speechContext, speechProvider } from './speech-provider.ts';

/**
 * Speech for messaging channels, through provider plugins' `transcribe` / `speak` hooks (speech-provider.ts picks
 * which provider). Both answer null when there is nobody to do it or the provider fails: the caller then sends the
 * channel's polite `unsupportedReply` (inbound) or the reply as text (outbound). Failures are logged without
 * secrets; database errors are not caught, so the queue retries the message.
 */

/**
 * OpenAI's text-to-speech input limit ("The maximum length is 4096 characters", audio/createSpeech), the only
 * speaking provider installed. Longer replies are spoken up to the last whole sentence that fits.
 */
export const MAX_SPOKEN_CHARACTERS = 4096;

/** The user is waiting for an answer: a provider still busy after a minute has failed them already. */
const VOICE_TIMEOUT_MS = 60_000;

type Channel = Pick<ChannelRuntime, 'id' | 'teamId' | 'chatbotId'>;

/** The voice note's words, trimmed; null when nobody can transcribe, the provider fails or nothing was said. */
export async function transcribeVoice(
  env: Env,
  channel: Channel,
  audio: { body: ArrayBuffer; mimeType: string },
): Promise<string | null> {
  const speech = await speechProvider(env, channel, 'transcribe');
  if (!speech?.provider.transcribe) return null;
  try {
    const ctx = speechContext(speech.settings, AbortSignal.timeout(VOICE_TIMEOUT_MS));
    const { text } = await speech.provider.transcribe(ctx, { audio: audio.body, mimeType: audio.mimeType });
    const transcript = text.trim();
    return transcript === '' ? null : transcript;
  } catch (error) {
    logFailure('voice transcription failed', channel, speech, error);
    return null;
  }
}

/** The reply as speech; null when nobody can speak, the text is empty or the provider fails. */
export async function synthesizeReply(
  env: Env,
  channel: Channel,
  text: string,
): Promise<{ audio: ArrayBuffer; mimeType: string } | null> {
  const spoken = speakableText(text);
  if (spoken === '') return null;
  const speech = await speechProvider(env, channel, 'speak');
  if (!speech?.provider.speak) return null;
  try {
    const ctx = speechContext(speech.settings, AbortSignal.timeout(VOICE_TIMEOUT_MS));
    return await speech.provider.speak(ctx, { text: spoken });
  } catch (error) {
    logFailure('voice synthesis failed', channel, speech, error);
    return null;
  }
}

// A sentence ends with . ! ? or …, maybe closing quotes or brackets, then whitespace or the end ("3.14" is no end);
// the CJK full stops 。！？ end one by themselves, since those scripts put no space after them.
const SENTENCE_END = /[.!?…]["'”’»)\]]*(?=\s|$)|[。！？]["'”’»」』)\]]*/gu;

/**
 * `text` without Markdown, trimmed, and when longer than `limit` characters (code points, as the TTS API counts), cut after the last
 * sentence that fits; a text with no sentence end in reach is cut at a word boundary and marked with "…".
 */
export function speakableText(text: string, limit = MAX_SPOKEN_CHARACTERS): string {
  const trimmed = withoutMarkdown(text).trim();
  const characters = [...trimmed];
  if (characters.length <= limit) return trimmed;
  const head = characters.slice(0, limit).join('');
  // The character after the cut decides whether a final "." ends a sentence ("3." of "3.14" does not).
  const window = head + (characters[limit] ?? '');
  let cut = 0;
  for (const match of window.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    if (end <= head.length) cut = end;
  }
  if (cut > 0) return head.slice(0, cut).trim();
  const lastSpace = head.search(/\s\S*$/);
  if (lastSpace > 0) return `${head.slice(0, lastSpace).trimEnd()}…`;
  return `${characters.slice(0, limit - 1).join('')}…`;
}

/**
 * Replies are written as Markdown for text channels; a voice would read the markup aloud ("asterisk asterisk").
 * Links keep their words, code keeps its content; headings, quotes and list bullets lose their markers.
 */
export function withoutMarkdown(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/```[^\n]*\n?/g, '')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/^[ \t]*(#{1,6}|>|[-*+])[ \t]+/gm, '');
}

function logFailure(msg: string, channel: Channel, speech: SpeechProvider, error: unknown): void {
  // Provider errors are worded for admins and carry no keys (e.g. plugins/providers/openai/errors.ts).
  console.warn(
    JSON.stringify({
      level: 'warn',
      msg,
      channelId: channel.id,
      provider: speech.provider.id,
      source: speech.source,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
}
