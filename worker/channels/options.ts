import { z } from 'zod';

/**
 * Core behaviour of a channel, the same for every plugin. Stored as JSON on the channel row; every field has a
 * default, so a channel created with no options behaves like a mature messaging bot out of the box.
 */
export const channelOptions = z.object({
  /** Sent (and stored) when a user sends something the chatbot cannot use: a sticker, or audio with no transcriber. */
  unsupportedReply: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .default("Sorry, I can't read that kind of message yet. Could you send it as text?"),
  /** Sent when the chatbot fails to answer (provider down, timeout) and nothing of the reply was written yet. */
  errorReply: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .default('Sorry, something went wrong on my side. Please try again in a moment.'),
  /** Stream long replies by editing the first message as tokens arrive, where the platform allows edits. */
  streamEdits: z.boolean().default(true),
  /** Also answer voice notes with speech (text-to-speech through a provider plugin). */
  voiceReplies: z.boolean().default(false),
});

export type ChannelOptions = z.infer<typeof channelOptions>;
