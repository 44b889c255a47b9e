/** Test-only helpers: settings and contexts pointed at the fake Cloud API (test/fakes/whatsapp.server.ts). */
import { inject } from 'vitest';
import vector from '../../../test/fixtures/channels/whatsapp/signature-vector.selfmade.json';
import { fakeClock } from '../../contracts/fakes.ts';
import type { PluginContext } from '../../sdk/index.ts';
import type { WhatsAppSettings } from './settings.ts';
import { whatsappSettings } from './settings.ts';

export function settingsFor(overrides: Record<string, unknown> = {}): WhatsAppSettings {
  const apiBaseUrl = inject('fakeServers').whatsapp;
  if (!apiBaseUrl) throw new Error('The fake WhatsApp server is not running: is test/fakes/whatsapp.server.ts loaded?');
  return whatsappSettings.parse({
    phoneNumberId: '106540352242922',
    accessToken: 'test-access-token',
    appSecret: vector.app_secret,
    verifyToken: 'fixture-verify-token',
    apiBaseUrl,
    ...overrides,
  });
}

export interface Sent {
  url: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A context whose fetch reaches the fake over real HTTP and records each request. */
export function fakeContext(overrides: Record<string, unknown> = {}): {
  ctx: PluginContext<WhatsAppSettings>;
  sent: Sent[];
} {
  const sent: Sent[] = [];
  const recording: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    sent.push({ url, headers: new Headers(init?.headers), body });
    return fetch(input, init);
  };
  const signal = new AbortController().signal;
  return { ctx: { settings: settingsFor(overrides), fetch: recording, clock: fakeClock(), signal }, sent };
}
