/** Twilio's sendFile against the fake REST API: one message whose MediaUrl is the link the core signed. */
import { describe, expect, inject, it } from 'vitest';
import { PDF_STUB } from '../../sdk/fake/media.ts';
import { receivedBy } from '../../sdk/testing/channel.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import { twilioChannel } from './index.ts';

// Recipients of this file only: the fake is shared by test files running in parallel.
const TO = '+14155557301';
const LINK = 'https://bots.example.com/api/v1/channel-files/team_1/conv_1/file_1?e=4102444800&t=abc';

const settings = (extra: Record<string, string> = {}) =>
  twilioChannel.settings.parse({
    accountSid: 'AC00000000000000000000000000000001',
    authToken: '12345',
    smsFrom: '+14155550100',
    whatsappFrom: 'whatsapp:+14155550100',
    apiBaseUrl: inject('fakeServers').twilio,
    ...extra,
  });

const context = (extra: Record<string, string> = {}) => ({
  settings: settings(extra),
  fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  clock: fakeClock(),
  signal: new AbortController().signal,
});

const file = (to: string, url?: string) => ({
  conversationKey: to,
  bytes: PDF_STUB.slice().buffer,
  name: 'report.pdf',
  mimeType: 'application/pdf',
  ...(url && { url }),
});

describe('twilio sendFile()', () => {
  it('sends one message with the signed link as MediaUrl, from the SMS number, the caption as Body', async () => {
    const result = await twilioChannel.sendFile?.(context(), { ...file(TO, LINK), caption: 'Your report' });
    expect(result).toMatchObject({ ok: true, platformMessageIds: [expect.stringMatching(/^SM\d{32}$/)] });
    const sent = (await receivedBy('twilio', TO)).filter((r) => (r.body as { To?: string }).To === TO);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toEqual({ To: TO, From: '+14155550100', MediaUrl: LINK, Body: 'Your report' });
  });

  it('answers WhatsApp users from the WhatsApp sender, with no Body when there is no caption', async () => {
    const to = `whatsapp:${TO.replace('7301', '7302')}`;
    expect(await twilioChannel.sendFile?.(context(), file(to, LINK))).toMatchObject({ ok: true });
    const sent = (await receivedBy('twilio', to)).filter((r) => (r.body as { To?: string }).To === to);
    expect(sent.map((r) => r.body)).toEqual([{ To: to, From: 'whatsapp:+14155550100', MediaUrl: LINK }]);
  });

  it('refuses, without calling Twilio, a file with no link (the core signs one only with PUBLIC_URL)', async () => {
    const to = TO.replace('7301', '7303');
    expect(await twilioChannel.sendFile?.(context(), file(to))).toEqual({
      ok: false,
      retryable: false,
      code: 'no_media_url',
      message: 'Twilio fetches media from a public URL, and none was given for this file',
    });
    expect(await receivedBy('twilio', to)).toEqual([]);
  });

  it("maps Twilio's errors as text sends do: a rate limit is retryable, a bad MediaUrl is not", async () => {
    expect(await twilioChannel.sendFile?.(context(), file('+15005550429', LINK))).toMatchObject({
      ok: false,
      retryable: true,
      code: 'rate_limited',
      retryAfterMs: 2_000,
    });
    expect(await twilioChannel.sendFile?.(context(), file(TO, 'not-a-url'))).toMatchObject({
      ok: false,
      retryable: false,
      code: 'twilio_21620',
    });
  });

  it('declares the 5 MB MMS limit and that it takes files by URL', () => {
    expect(twilioChannel.capabilities).toMatchObject({ maxFileBytes: 5 * 1024 * 1024, filesByUrl: true });
  });
});
