import { z } from 'zod';
import type { InboundContent, InboundMessage, InboundRequest, JsonObject, ParsedWebhook } from '../../sdk/index.ts';

const file = z.object({ id: z.string(), mimetype: z.string().optional(), name: z.string().optional() });
const slackEvent = z.object({
  type: z.string(),
  subtype: z.string().optional(),
  channel: z.string().optional(),
  channel_type: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().optional(),
  thread_ts: z.string().optional(),
  parent_user_id: z.string().optional(),
  event_ts: z.string().optional(),
  files: z.array(file).optional(),
  message: z
    .object({ user: z.string().optional(), bot_id: z.string().optional(), text: z.string(), ts: z.string() })
    .optional(),
  previous_message: z.object({ bot_id: z.string().optional() }).optional(),
  reaction: z.string().optional(),
  item: z.object({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }).optional(),
});
type SlackEvent = z.infer<typeof slackEvent>;

const envelope = z.object({
  type: z.string(),
  challenge: z.string().optional(),
  event_id: z.string().optional(),
  event_time: z.number().optional(),
  authorizations: z.array(z.object({ user_id: z.string(), is_bot: z.boolean() })).optional(),
  event: slackEvent.optional(),
});

/** Message subtypes that still carry a person's own text; all others (joins, topic changes, deletions, bot posts …)
 * are ignored (https://docs.slack.dev/reference/events/message#subtypes). `message_changed` becomes an edit. */
const USER_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast', 'me_message']);

function fileContent(item: z.infer<typeof file>, caption?: string): InboundContent {
  const mime = item.mimetype ?? '';
  const kind = mime.startsWith('image/')
    ? 'image'
    : mime.startsWith('audio/')
      ? 'audio'
      : mime.startsWith('video/')
        ? 'video'
        : 'document';
  return { kind, mediaId: item.id, ...(mime ? { mimeType: mime } : {}), ...(caption ? { caption } : {}) };
}

function contents(event: SlackEvent, bots: readonly string[]): InboundContent[] {
  if (event.type === 'reaction_added' && event.reaction && event.item?.ts) {
    return [{ kind: 'reaction', emoji: event.reaction, targetMessageId: event.item.ts }];
  }
  if (event.type !== 'message' && event.type !== 'app_mention') return [];
  // The bot's own posts (and other bots') come back as events too: answering them would loop.
  if (event.bot_id || event.subtype === 'bot_message' || (event.user !== undefined && bots.includes(event.user))) {
    return [];
  }
  if (event.subtype === 'message_changed') {
    const edited = event.message;
    if (!edited?.user || edited.bot_id || event.previous_message?.bot_id || bots.includes(edited.user)) return [];
    return [{ kind: 'edit', targetMessageId: edited.ts, text: edited.text }];
  }
  if (!USER_SUBTYPES.has(event.subtype) || !event.user) return [];
  const files = event.files ?? [];
  if (files.length > 0) return files.map((item, index) => fileContent(item, index === 0 ? event.text : undefined));
  return event.text ? [{ kind: 'text', text: event.text }] : [];
}

/**
 * Events API `event_callback`s (https://docs.slack.dev/apis/events-api/). Replies go in the thread: the conversation
 * key is `channel:thread_ts` (the message's own ts starts a thread), except a top-level DM, keyed by channel alone.
 * The message id is `channel:ts`, the same for retries (X-Slack-Retry-Num) and for the `message` and `app_mention`
 * twins of one message, so the core's dedupe drops both. `addressed` is true for DMs, app_mention, messages that
 * mention the bot and replies in a thread the bot started (parent_user_id is the bot user, named in the envelope's
 * `authorizations`); other channel messages are not addressed. `raw.threadTs` lets the core also treat threads it
 * has answered in as addressed. Settings are not needed: the envelope names the bot.
 */
export function parseSlack(request: InboundRequest): ParsedWebhook {
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody);
  } catch {
    return { messages: [] }; // slash commands and interactivity are form-encoded: not handled here
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return { messages: [] };
  const body = parsed.data;
  if (body.type === 'url_verification' && body.challenge !== undefined) {
    return { messages: [], reply: { status: 200, contentType: 'text/plain', body: body.challenge } };
  }
  const event = body.event;
  if (body.type !== 'event_callback' || !event) return { messages: [] };
  const channel = event.channel ?? event.item?.channel;
  const ts = event.ts ?? event.event_ts;
  const user = event.user ?? event.message?.user;
  if (!channel || !ts || !user) return { messages: [] };
  const bots = (body.authorizations ?? []).filter((auth) => auth.is_bot).map((auth) => auth.user_id);
  const direct = event.channel_type === 'im';
  const mentioned = bots.some((id) => event.text?.includes(`<@${id}>`));
  const inBotThread = event.parent_user_id !== undefined && bots.includes(event.parent_user_id);
  const addressed = direct || event.type === 'app_mention' || mentioned || inBotThread;
  // A reaction answers in the thread of the message reacted to.
  const threadTs = event.thread_ts ?? (direct ? undefined : (event.item?.ts ?? ts));
  const raw: JsonObject = {
    chatType: direct ? 'direct' : 'group',
    addressed,
    channel,
    ...(event.thread_ts ? { threadTs: event.thread_ts } : {}),
    ...(body.event_id ? { eventId: body.event_id } : {}),
  };
  const sentAt = Math.round(Number(ts) * 1000) || (body.event_time ?? 0) * 1000;
  const items = contents(event, bots);
  const messages = items.map(
    (content, index): InboundMessage => ({
      platformMessageId: `${channel}:${content.kind === 'reaction' ? `reaction:${event.reaction}:${user}:${ts}` : ts}${index > 0 ? `#${index}` : ''}`,
      conversationKey: threadTs ? `${channel}:${threadTs}` : channel,
      user: { id: user },
      content,
      sentAt,
      addressed,
      raw,
    }),
  );
  return { messages };
}
