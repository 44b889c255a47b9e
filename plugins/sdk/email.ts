import type { z } from 'zod';
import type { Clock } from './clock.ts';
import type { PluginManifest } from './plugin.ts';

/**
 * An email-sender plugin: sends one message on a team's behalf. The core picks the team's configured sender
 * (worker/email/team-email.ts); idempotency (one send per key) is the core's job, so a sender only sends.
 */
export interface EmailSenderPlugin<Settings extends z.ZodObject = z.ZodObject>
  extends PluginManifest<'email', Settings> {
  send(ctx: EmailContext<z.infer<Settings>>, message: OutgoingEmail): Promise<{ id: string }>;
}

export interface OutgoingEmail {
  /** The team's configured sender address (settings), e.g. `Support <support@example.com>`. */
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  /** Passed to providers that deduplicate by key (Resend's `Idempotency-Key`). */
  idempotencyKey: string;
}

/**
 * What a sender gets. Plugins never touch bindings, except that the core hands a sender the one binding it was
 * written for: `binding` is the Worker's `send_email` binding (wrangler.toml `[[send_email]] name = "SEND_EMAIL"`)
 * when the deployment has one, typed structurally here so the SDK stays free of workers-types.
 */
export interface EmailContext<Settings> {
  settings: Settings;
  fetch: typeof fetch;
  clock: Clock;
  signal: AbortSignal;
  binding?: SendEmailBinding;
}

/** The builder form of Cloudflare's `SendEmail.send` (developers.cloudflare.com/email-routing/email-workers/send-email-workers). */
export interface SendEmailBinding {
  send(message: {
    from: string | { email: string; name: string };
    to: string | string[];
    subject: string;
    replyTo?: string | { email: string; name: string };
    text?: string;
    html?: string;
    headers?: Record<string, string>;
  }): Promise<{ messageId: string }>;
}

/**
 * A failure a retry can fix (429, 5xx, network: `retryable`, with the provider's `Retry-After` when it sent one) or
 * not (bad address, refused credentials).
 */
export class EmailError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'EmailError';
  }
}
