import { patch } from '../../lib/http';
import type { Chatbot, Definition } from '../../lib/types';

/** Saves name/description and the draft; the API replaces the draft's definition as a whole. */
export function saveChatbot(
  bot: Chatbot,
  changes: { name?: string; description?: string; definition?: Definition },
): Promise<Chatbot> {
  return patch<Chatbot>(`/api/v1/chatbots/${bot.id}`, changes);
}
