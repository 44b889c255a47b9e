/**
 * Test-only helpers shared by the channel plugins' tests: settings and contexts pointed at a fake platform server
 * (plugins/channels/<name>/fake/server.ts, started by test/global-setup.ts), and a reader for what that server received.
 */
import { inject } from 'vitest';
import type { z } from 'zod';
import type { PluginContext } from '../index.ts';
import { fakeClock } from './fakes.ts';

/** The base URL of a running fake platform, e.g. fakeServerUrl('telegram'). */
export function fakeServerUrl(name: string): string {
  const url = inject('fakeServers')[name];
  if (!url)
    throw new Error(`The fake ${name} server is not running: is plugins/channels/${name}/fake/server.ts there?`);
  return url;
}

export interface Sent {
  url: string;
  headers: Headers;
  /** The JSON body, or {} for anything else (multipart uploads, forms). */
  body: Record<string, unknown>;
}

function jsonBody(init: RequestInit | undefined): Record<string, unknown> {
  if (typeof init?.body !== 'string') return {};
  try {
    return JSON.parse(init.body) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** A context with `settings`, whose fetch reaches the fake over real HTTP and records each request it makes. */
export function recordingContext<Settings>(settings: Settings): { ctx: PluginContext<Settings>; sent: Sent[] } {
  const sent: Sent[] = [];
  const recording: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    sent.push({ url, headers: new Headers(init?.headers), body: jsonBody(init) });
    return fetch(input, init);
  };
  const ctx = { settings, fetch: recording, clock: fakeClock(), signal: new AbortController().signal };
  return { ctx, sent };
}

/** Settings for a plugin pointed at its fake: `defaults` + the fake's URL (under `urlKey`) + `overrides`, parsed. */
export function fakeSettings<S extends z.ZodObject>(
  schema: S,
  fake: { name: string; urlKey?: string; url?: (base: string) => string },
  defaults: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): z.infer<S> {
  const base = fakeServerUrl(fake.name);
  return schema.parse({ ...defaults, [fake.urlKey ?? 'apiBaseUrl']: fake.url ? fake.url(base) : base, ...overrides });
}

/** One request a fake platform received (see plugins/sdk/fake/request-log.ts). */
export interface ReceivedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: { authorization?: string; 'content-type'?: string };
  body: unknown;
}

/** What the fake `name` received whose JSON body contains `contains` (tests run in parallel: filter by own ids). */
export async function receivedBy(name: string, contains?: string): Promise<ReceivedRequest[]> {
  const query = contains === undefined ? '' : `?contains=${encodeURIComponent(contains)}`;
  const response = await fetch(`${new URL(fakeServerUrl(name)).origin}/__requests${query}`);
  return (await response.json()) as ReceivedRequest[];
}

/** Hex SHA-256 of bytes: what the fakes record for each uploaded file (`MultipartField.sha256`). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
