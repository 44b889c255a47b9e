import type { z } from 'zod';
import type { EmailSenderPlugin } from '../email.ts';
import { defineKind } from '../kind.ts';

declare module '../kind.ts' {
  interface PluginKinds<S extends z.ZodObject = z.ZodObject> {
    email: EmailSenderPlugin<S>;
  }
}

/** Email senders (interface in ../email.ts): the send-email node and notifications go through the team's one sender. */
export const emailKind = defineKind<EmailSenderPlugin>({
  kind: 'email',
  label: 'Email senders',
  description: 'Sends email on the team’s behalf',
  contract: 'plugins/sdk/contracts/email.contract.ts',
  configs: 'single',
  capabilities: () => ({}),
});
