import { definePlugin } from '../../sdk/index.ts';
import { sendWithBinding } from './send.ts';
import { cloudflareEmailSettings } from './settings.ts';

/**
 * Sends through the Worker's `send_email` binding (Cloudflare Email Routing / Email Service), which the core hands to
 * this plugin as `ctx.binding`. No key: the binding is the credential, and wrangler.toml decides who may be mailed.
 */
export const cloudflareEmail = definePlugin({
  id: 'cloudflare-email',
  kind: 'email',
  displayName: 'Cloudflare Email',
  description: 'Email through the Worker’s send_email binding (Cloudflare Email Routing); no API key.',
  version: '1.0.0',
  settings: cloudflareEmailSettings,
  secrets: [],
  send: sendWithBinding,
});
