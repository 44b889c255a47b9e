/** Test-only helpers: settings and contexts pointed at the fake Cloud API (test/fakes/whatsapp.server.ts). */
import vector from '../../../test/fixtures/channels/whatsapp/signature-vector.selfmade.json';
import type { PluginContext } from '../../sdk/index.ts';
import { fakeSettings, recordingContext, type Sent } from '../shared/testing.ts';
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
