import type { EditMessage, PluginContext, SendResult } from '../../sdk/index.ts';
import { call, slackTarget } from './outbound.ts';
import type { SlackSettings } from './settings.ts';
import { splitSlack } from './split.ts';

/**
 * chat.update replaces a posted message, for streaming edits (https://docs.slack.dev/reference/methods/chat.update).
 * The message id is the ts chat.postMessage returned. The text is cut to one message's worth (the core never edits
 * more; the final text goes through send's splitting).
 */
export async function editSlack(ctx: PluginContext<SlackSettings>, message: EditMessage): Promise<SendResult> {
  const { channel } = slackTarget(message.conversationKey);
  const [text = ''] = splitSlack(message.text);
  const result = await call(ctx, 'chat.update', { channel, ts: message.platformMessageId, text });
  return typeof result === 'string' ? { ok: true, platformMessageIds: [result] } : result;
}
