/** Test-only helpers: settings and contexts pointed at the fake Cloud API (plugins/channels/whatsapp/fake/server.ts). */

import type { PluginContext } from '../../sdk/index.ts';
import { fakeSettings, recordingContext, type Sent } from '../../sdk/testing/channel.ts';
import vector from './fixtures/signature-vector.selfmade.json';
import type { WhatsAppSettings } from './settings.ts';
import { whatsappSettings } from './settings.ts';

export type { Sent };

export function settingsFor(overrides: Record<string, unknown> = {}): WhatsAppSettings {
  const defaults = {
    phoneNumberId: '106540352242922',
    accessToken: 'test-access-token',
    appSecret: vector.app_secret,
    verifyToken: 'fixture-verify-token',
  };
  return fakeSettings(whatsappSettings, { name: 'whatsapp' }, defaults, overrides);
}

/** A context whose fetch reaches the fake over real HTTP and records each request. */
export function fakeContext(overrides: Record<string, unknown> = {}): {
  ctx: PluginContext<WhatsAppSettings>;
  sent: Sent[];
} {
  return recordingContext(settingsFor(overrides));
}

/**
 * The official `messages` webhook envelope (plugins/channels/whatsapp/fixtures/inbound-text.json) around one message,
 * for message types and senders the fixtures lack (per the messages webhook reference). `message` overrides the
 * defaults: sender 16505551234, id `wamid.C-<type>`, a fixed timestamp.
 */
export function inboundEnvelope(
  message: Record<string, unknown>,
  contact: { waId: string; name: string } = { waId: '16505551234', name: 'Sheena Nelson' },
): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name: contact.name }, wa_id: contact.waId }],
              messages: [{ from: contact.waId, id: `wamid.C-${message.type}`, timestamp: '1749416390', ...message }],
            },
            field: 'messages',
          },
        ],
      },
    ],
  });
}
