import type { Env } from '../env.ts';
import type { ChannelRuntime } from './runtime.ts';

/**
 * Speech for messaging channels. Placeholder until the speech-to-text / text-to-speech provider hooks land:
 * without a transcriber a voice note gets the channel's polite "unsupported" reply.
 */
export async function transcribeVoice(
  _env: Env,
  _channel: ChannelRuntime,
  _audio: { body: ArrayBuffer; mimeType: string },
): Promise<string | null> {
  return null;
}

export async function synthesizeReply(
  _env: Env,
  _channel: ChannelRuntime,
  _text: string,
): Promise<{ audio: ArrayBuffer; mimeType: string } | null> {
  return null;
}
