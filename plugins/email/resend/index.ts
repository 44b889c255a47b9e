import { definePlugin } from '../../sdk/index.ts';
import { sendWithResend } from './send.ts';
import { resendSettings } from './settings.ts';

/** Sends email through Resend's HTTP API (resend.com/docs/api-reference/emails/send-email) with `ctx.fetch`. */
export const resendEmail = definePlugin({
  id: 'resend',
  kind: 'email',
  displayName: 'Resend',
  description: 'Transactional email through the Resend API, deduplicated by idempotency key.',
  version: '1.0.0',
  settings: resendSettings,
  secrets: ['apiKey'],
  send: sendWithResend,
});
