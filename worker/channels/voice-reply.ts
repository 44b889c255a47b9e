import type { JsonObject } from '../../plugins/sdk/index.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import type { ConversationStore } from '../conversation/store.ts';
import type { Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import { channelContext } from './plugin-context.ts';
import type { ChannelRuntime } from './runtime.ts';
import { synthesizeReply } from './voice.ts';

/** Speech synthesis plus an audio upload: more than a text send, still bounded. */
const AUDIO_TIMEOUT_MS = 60_000;

/**
 * Answers a voice note with speech too, after the text went out (options.voiceReplies). Best effort: the outcome
 * only lands in `metadata.delivery.audio`; null when no audio was due (option off, not a voice turn, no sendAudio).
 */
export async function sendVoiceReply(
  host: { env: Env; store: ConversationStore; clock: Clock; address: { conversationKey: string } },
  channel: ChannelRuntime,
  message: ConversationMessage,
  text: string,
): Promise<JsonObject | null> {
  if (!channel.options.voiceReplies || !channel.plugin.sendAudio || message.role !== 'assistant') return null;
  const voiceTurn = host.store.turnUserMessages(message.turnId).some((user) => user.metadata.voice === true);
  if (!voiceTurn) return null;
  try {
    const speech = await synthesizeReply(host.env, channel, text);
    if (!speech) return { status: 'skipped', reason: 'no_speech_provider' };
    const ctx = channelContext(channel, host.clock, AUDIO_TIMEOUT_MS);
    const result = await channel.plugin.sendAudio(ctx, { conversationKey: host.address.conversationKey, ...speech });
    return result.ok
      ? { status: 'sent', platformMessageIds: result.platformMessageIds }
      : { status: 'failed', error: { code: result.code, message: result.message.slice(0, 500) } };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    return { status: 'failed', error: { code: 'audio_failed', message: `Sending the voice reply failed (${name})` } };
  }
}
