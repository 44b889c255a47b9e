import { splitMessage } from '../../plugins/sdk/channel-helpers/split.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import type { ChannelOptions } from './options.ts';

/**
 * The text a chat receives for a finished message, or null when there is nothing to send. A failed reply with text
 * sends what was written (it may be most of the answer); one that failed before writing anything sends the
 * channel's errorReply, so the user is never left waiting in silence.
 */
export function replyText(message: ConversationMessage, options: ChannelOptions): string | null {
  if (message.content.trim() !== '') return message.content;
  return message.status === 'error' ? options.errorReply : null;
}

/**
 * Markdown usually shrinks when a plugin formats it (markers become entities), but escapes and tags can make it
 * grow; a plugin's edit keeps only what fits its limit after formatting. A quarter of headroom keeps the edited
 * first part whole in practice, and the rest goes out as new messages split by the plugin's own `send`.
 */
const EDIT_HEADROOM = 0.75;

/** Cuts a reply for a streamed message: the part its final edit shows, and the rest to send as new messages. */
export function splitForEdit(text: string, maxMessageLength: number): { first: string; rest: string } {
  if (text.length <= maxMessageLength * EDIT_HEADROOM) return { first: text, rest: '' };
  const [first = '', ...rest] = splitMessage(text, Math.floor(maxMessageLength * EDIT_HEADROOM));
  return { first, rest: rest.join('\n') };
}
