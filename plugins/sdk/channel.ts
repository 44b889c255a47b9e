import type { z } from 'zod';
import type { JsonObject } from './json.ts';
import type { PluginContext, PluginManifest } from './plugin.ts';

/** A webhook request as the platform sent it. The raw body is kept because signatures are computed over it. */
export interface InboundRequest {
  method: string;
  url: string;
  headers: Headers;
  rawBody: string;
}

export type VerifyResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Who wrote to us, as the platform identifies them. */
export interface PlatformUser {
  id: string;
  name?: string;
  phone?: string;
}

export type InboundContent =
  | { kind: 'text'; text: string }
  | {
      kind: 'image' | 'audio' | 'voice' | 'document' | 'sticker' | 'video';
      mediaId: string;
      mimeType?: string;
      caption?: string;
    }
  | { kind: 'location'; latitude: number; longitude: number; name?: string }
  | { kind: 'contact'; name: string; phone?: string }
  | { kind: 'reply'; payload: string; text: string }
  | { kind: 'reaction'; emoji: string; targetMessageId: string }
  | { kind: 'edit'; targetMessageId: string; text: string };

/** One normalized inbound message. */
export interface InboundMessage {
  /** The platform's own message id: the key that makes retries and duplicate deliveries harmless. */
  platformMessageId: string;
  /** Where replies go (chat id, phone number, channel + thread …), opaque to the core. */
  conversationKey: string;
  user: PlatformUser;
  content: InboundContent;
  /** Milliseconds since the Unix epoch, as the platform stamped it. */
  sentAt: number;
  /**
   * Whether the bot should answer. Direct messages are always addressed; in group chats only a mention, a reply to
   * the bot or a message in a thread the bot is already in. Absent means addressed.
   */
  addressed?: boolean;
  raw?: JsonObject;
}

export interface ParsedWebhook {
  messages: InboundMessage[];
  /** A body the platform expects back instead of an empty 200 (e.g. Slack's url_verification challenge). */
  reply?: { status: number; contentType: string; body: string };
}

export interface OutboundMessage {
  conversationKey: string;
  /** Markdown; the plugin converts it to the platform's format and splits it at the platform's length limit. */
  text: string;
}

/** Replaces the text of a message the bot sent earlier (streaming by throttled edits). */
export interface EditMessage {
  conversationKey: string;
  platformMessageId: string;
  /** Markdown; at most `capabilities.maxMessageLength` characters after conversion (the core never edits more). */
  text: string;
}

/** What the core knows about the reply a typing indicator announces. */
export interface TypingContext {
  /**
   * The platform message id (`InboundMessage.platformMessageId`) of the inbound message the reply answers; the newest
   * one when a reply answers several. Absent when the core does not know it (a message that did not come from the
   * platform). Platforms whose indicator hangs off a message use it (WhatsApp marks it read and types in reply to
   * it); the others ignore it.
   */
  replyTo?: string;
}

/** Speech the bot sends back (text-to-speech replies). */
export interface OutboundAudio {
  conversationKey: string;
  audio: ArrayBuffer;
  mimeType: string;
}

/**
 * A file the bot sends with a reply (a custom action's binary response: `metadata.attachments` of the reply). The core
 * sends only files of at most `capabilities.maxFileBytes`.
 */
export interface OutboundFile {
  conversationKey: string;
  bytes: ArrayBuffer;
  /** The file name the user sees (no path, at most 200 characters). */
  name: string;
  /** The stored type, without parameters (e.g. `application/pdf`, `image/png`). */
  mimeType: string;
  /** Short text shown with the file where the platform has captions. */
  caption?: string;
  /**
   * For plugins that declare `capabilities.filesByUrl`: an absolute URL the platform fetches the file from, signed
   * and expiring (no sign-in), on the deployment's public origin. Always set for those plugins, never for others.
   */
  url?: string;
}

/** A file fetched from the platform (voice notes, images, documents). */
export interface DownloadedMedia {
  body: ArrayBuffer;
  mimeType: string;
}

/** What the core tells a channel when it is created or its settings change. */
export interface ChannelSetupInput {
  /** The public URL of this channel's webhook: `https://<host>/webhooks/<plugin id>/<channel id>`. */
  webhookUrl: string;
}

export type SetupResult = { ok: true; message: string } | { ok: false; message: string };

export type SendResult =
  | { ok: true; platformMessageIds: string[] }
  | { ok: false; retryable: boolean; code: string; message: string; retryAfterMs?: number };

export interface ChannelCapabilities {
  inbound: readonly InboundContent['kind'][];
  typingIndicator: boolean;
  /**
   * How often the core repeats `typing` while a reply is generated, in milliseconds: a little less than the platform
   * shows one indicator for. Defaults to 4,000 (Telegram's chat action lasts 5 s); WhatsApp's lasts 25 s.
   */
  typingRefreshMs?: number;
  editMessages: boolean;
  /** Longest text one outbound message may carry, in characters. */
  maxMessageLength: number;
  /**
   * Largest file `sendFile` uploads, in bytes (the platform's own limit for a bot's upload). Set exactly when the
   * plugin has `sendFile`; the core skips a larger file and records why.
   */
  maxFileBytes?: number;
  /**
   * The platform fetches outbound files itself from a public URL instead of receiving their bytes (Twilio's
   * `MediaUrl`). The core then calls `sendFile` with `OutboundFile.url` only when the deployment has a public origin
   * to sign links on (`PUBLIC_URL`), and names the files in the reply's text otherwise.
   */
  filesByUrl?: boolean;
}

export interface ChannelPlugin<Settings extends z.ZodObject = z.ZodObject> extends PluginManifest<'channel', Settings> {
  capabilities: ChannelCapabilities;
  /** Answers a platform's subscription handshake (e.g. Meta's hub.challenge GET); null when it is not one. */
  handshake?(settings: z.infer<Settings>, request: InboundRequest): Response | null;
  /** Checks the request is from the platform; must compare in constant time. */
  verify(settings: z.infer<Settings>, request: InboundRequest, now: number): Promise<VerifyResult>;
  /**
   * Pure: turns a verified webhook body into normalized messages. Gets the channel's settings because telling
   * whether a group message addresses the bot needs the bot's identity (Telegram's bot username and id); it must not
   * do I/O with them.
   */
  parse(request: InboundRequest, settings: z.infer<Settings>): ParsedWebhook;
  send(ctx: PluginContext<z.infer<Settings>>, message: OutboundMessage): Promise<SendResult>;
  /**
   * Shows "typing…" where the platform has it (capabilities.typingIndicator), repeated every
   * `capabilities.typingRefreshMs` while a reply is generated. `context` may be absent: answer a failed SendResult
   * (never throw) when the platform cannot type without it.
   */
  typing?(ctx: PluginContext<z.infer<Settings>>, conversationKey: string, context?: TypingContext): Promise<SendResult>;
  /** Edits a sent message (capabilities.editMessages): how replies stream on Telegram and Slack. */
  edit?(ctx: PluginContext<z.infer<Settings>>, message: EditMessage): Promise<SendResult>;
  /** Downloads an inbound media item by the `mediaId` that `parse` produced. */
  downloadMedia?(ctx: PluginContext<z.infer<Settings>>, mediaId: string): Promise<DownloadedMedia>;
  /** Sends a voice/audio message (text-to-speech replies). */
  sendAudio?(ctx: PluginContext<z.infer<Settings>>, message: OutboundAudio): Promise<SendResult>;
  /**
   * Sends a file as a document (images may go as photos) after the reply's text (capabilities.maxFileBytes). One
   * platform message per call; return its id.
   */
  sendFile?(ctx: PluginContext<z.infer<Settings>>, file: OutboundFile): Promise<SendResult>;
  /** Registers the webhook on the platform's side where its API allows it (Telegram setWebhook). */
  setup?(ctx: PluginContext<z.infer<Settings>>, input: ChannelSetupInput): Promise<SetupResult>;
}
