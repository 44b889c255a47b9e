import type { EmailContext, OutgoingEmail, SendEmailBinding } from '../../sdk/index.ts';
import { addressOf, EmailError } from '../../sdk/index.ts';
import type { CloudflareEmailSettings } from './settings.ts';

type Mailbox = string | { email: string; name: string };

/**
 * The binding throws plain errors with no status. Those that name a limit or a fault on Cloudflare's side can pass on
 * a later try; the rest (a sender or recipient not allowed or not verified, a malformed message) cannot.
 */
const TRANSIENT = /rate.?limit|too many|temporar|unavailable|internal|timed? ?out|try again/i;

export async function sendWithBinding(
  ctx: EmailContext<CloudflareEmailSettings>,
  message: OutgoingEmail,
): Promise<{ id: string }> {
  const binding = ctx.binding;
  if (!binding) {
    throw new EmailError(
      'The Cloudflare email sender needs the send_email binding: add [[send_email]] with name = "SEND_EMAIL" to ' +
        'wrangler.toml (developers.cloudflare.com/email-routing/email-workers/send-email-workers) and deploy again',
    );
  }
  ctx.signal.throwIfAborted();
  const payload: Parameters<SendEmailBinding['send']>[0] = {
    from: mailbox(message.from),
    to: [...message.to],
    subject: message.subject,
    text: message.text,
    ...(message.html !== undefined && { html: message.html }),
    ...(message.replyTo !== undefined && { replyTo: mailbox(message.replyTo) }),
  };
  try {
    const { messageId } = await binding.send(payload);
    return { id: messageId };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmailError(`Cloudflare Email Routing refused the email: ${reason}`, TRANSIENT.test(reason));
  }
}

/** `Name <a@b.c>` as the builder's `{ email, name }`; a bare address stays a string. */
function mailbox(value: string): Mailbox {
  const email = addressOf(value);
  if (email === undefined || email === value.trim()) return value.trim();
  const name = value.trim().slice(0, value.trim().lastIndexOf('<')).trim().replace(/^"|"$/g, '');
  return name === '' ? email : { email, name };
}
