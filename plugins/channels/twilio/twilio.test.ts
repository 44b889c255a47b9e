import { describe, expect, inject, it } from 'vitest';
import { runChannelContract } from '../../sdk/contracts/channel.contract.ts';
import { hmacSha1Base64 } from '../../sdk/crypto.ts';
import type { InboundRequest } from '../../sdk/index.ts';
import { FIXED_EPOCH, fakeClock } from '../../sdk/testing/fakes.ts';
import smsFile from './fixtures/inbound-sms.form.txt?raw';
import voiceFile from './fixtures/inbound-whatsapp-voice.form.txt?raw';
import smsVector from './fixtures/signature-vector.selfmade-inbound-sms.json';
import jsonVectors from './fixtures/signature-vectors.json-body.official.json';
import official from './fixtures/signature-vectors.official.json';
import { formatTwilio } from './format.ts';
import { twilioChannel } from './index.ts';
import { splitTwilio, TWILIO_MAX_BODY } from './split.ts';

// The fixture files end with a newline that Twilio's form body does not have.
const smsForm = smsFile.trimEnd();
const voiceForm = voiceFile.trimEnd();
const DATE = new Date(FIXED_EPOCH).toUTCString();
const settings = twilioChannel.settings.parse({
  accountSid: 'AC00000000000000000000000000000001',
  authToken: smsVector.auth_token,
  smsFrom: '+14155550100',
  whatsappFrom: 'whatsapp:+14155550100',
  apiBaseUrl: inject('fakeServers').twilio,
});

function request(
  url: string,
  rawBody: string,
  signature: string,
  type = 'application/x-www-form-urlencoded',
): InboundRequest {
  const headers = new Headers({ 'content-type': type, 'x-twilio-signature': signature, date: DATE });
  return { method: 'POST', url, headers, rawBody };
}

async function signed(url: string, rawBody: string): Promise<InboundRequest> {
  const params = [...new URLSearchParams(rawBody)]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => k + v)
    .join('');
  return request(url, rawBody, await hmacSha1Base64(settings.authToken, url + params));
}

const context = ({ signal, clock }: { signal: AbortSignal; clock: ReturnType<typeof fakeClock> }) => ({
  settings,
  fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  clock,
  signal,
});
const WEBHOOK = 'https://parley.test/webhooks/twilio/bot-1';

runChannelContract(twilioChannel, {
  context,
  now: FIXED_EPOCH,
  samples: [
    {
      name: 'inbound SMS (self-made vector)',
      request: request(smsVector.url, smsForm, smsVector.headers['X-Twilio-Signature']),
    },
    { name: 'WhatsApp voice note', request: await signed(WEBHOOK, voiceForm) },
  ],
  signatureHeaders: ['x-twilio-signature'],
  outbound: { conversationKey: '+14155550199', text: 'Hello **there**' },
  media: { mediaId: `${settings.apiBaseUrl}/2010-04-01/Accounts/${settings.accountSid}/Messages/MM1/Media/ME1voice` },
});

describe('twilio verify', () => {
  const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

  for (const vector of official.vectors) {
    it(`official form vector ${vector.name} is ${vector.expected}`, async () => {
      const result = await twilioChannel.verify(
        settings,
        request(official.url, form(vector.params), vector.signature),
        0,
      );
      expect(result.ok).toBe(vector.expected === 'valid');
    });
  }

  for (const vector of jsonVectors.vectors) {
    it(`JSON-body vector ${vector.signature} verifies (trying the :443 variant)`, async () => {
      const req = request(vector.url, vector.body, vector.signature, 'application/json');
      expect(await twilioChannel.verify(settings, req, 0)).toEqual({ ok: true });
      const changed = await twilioChannel.verify(settings, { ...req, rawBody: `${vector.body} ` }, 0);
      expect(changed.ok).toBe(false);
    });
  }

  it('rejects the right signature for another URL', async () => {
    const req = request(`${smsVector.url}/other`, smsForm, smsVector.headers['X-Twilio-Signature']);
    expect((await twilioChannel.verify(settings, req, 0)).ok).toBe(false);
  });
});

describe('twilio parse', () => {
  it('reads the SMS fixture', () => {
    const [message] = twilioChannel.parse(request(smsVector.url, smsForm, ''), settings).messages;
    expect(message).toEqual({
      platformMessageId: 'SM00000000000000000000000000000001',
      conversationKey: '+14155550199',
      user: { id: '+14155550199', phone: '+14155550199' },
      content: { kind: 'text', text: 'Hello! Is the shop open today?' },
      sentAt: FIXED_EPOCH,
      addressed: true,
      raw: { chatType: 'direct', addressed: true, to: '+14155550100', channel: 'sms' },
    });
  });

  it('reads the WhatsApp voice note with the profile name', () => {
    const [message] = twilioChannel.parse(request(WEBHOOK, voiceForm, ''), settings).messages;
    expect(message).toMatchObject({
      conversationKey: 'whatsapp:+14155550199',
      user: { id: 'whatsapp:+14155550199', phone: '+14155550199', name: 'Test User' },
      content: { kind: 'voice', mimeType: 'audio/ogg', mediaId: expect.stringMatching(/\/Media\/ME0+1$/) },
      raw: { channel: 'whatsapp' },
    });
  });

  it('reads MMS with several media, WhatsApp locations and button replies', () => {
    const parse = (params: Record<string, string>) =>
      twilioChannel
        .parse(
          request(WEBHOOK, new URLSearchParams({ MessageSid: 'SM1', From: '+1555', ...params }).toString(), ''),
          settings,
        )
        .messages.map((m) => [m.platformMessageId, m.content]);
    expect(
      parse({
        Body: 'pics',
        NumMedia: '2',
        MediaUrl0: 'https://m/0',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'https://m/1',
        MediaContentType1: 'application/pdf',
      }),
    ).toEqual([
      ['SM1', { kind: 'image', mediaId: 'https://m/0', mimeType: 'image/jpeg', caption: 'pics' }],
      ['SM1#1', { kind: 'document', mediaId: 'https://m/1', mimeType: 'application/pdf' }],
    ]);
    expect(parse({ Latitude: '37.78', Longitude: '-122.39', Label: 'Office' })).toEqual([
      ['SM1', { kind: 'location', latitude: 37.78, longitude: -122.39, name: 'Office' }],
    ]);
    expect(parse({ Body: 'Yes', ButtonPayload: 'CONFIRM', ButtonText: 'Yes' })).toEqual([
      ['SM1', { kind: 'reply', payload: 'CONFIRM', text: 'Yes' }],
    ]);
    expect(
      parse({
        Body: '',
        NumMedia: '1',
        MediaUrl0: 'https://m/s',
        MediaContentType0: 'image/webp',
        MessageType: 'sticker',
      })[0]?.[1],
    ).toMatchObject({ kind: 'sticker' });
  });
});

describe('twilio format and split', () => {
  it('sends plain text', () => {
    expect(formatTwilio('**Open** _today_ at [site](https://s.test) & <b>')).toBe(
      'Open today at site (https://s.test) & <b>',
    );
  });

  it('splits at 1600 characters between words', () => {
    const text = Array.from({ length: 600 }, (_, i) => `w${i}`).join(' ');
    const chunks = splitTwilio(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(TWILIO_MAX_BODY);
    expect(chunks.join(' ')).toBe(text);
  });
});

describe('twilio send against the fake REST API', () => {
  const ctx = () => context({ signal: new AbortController().signal, clock: fakeClock() });
  const send = (to: string, c = ctx()) => twilioChannel.send(c, { conversationKey: to, text: 'hi' });

  it('sends SMS and WhatsApp from the matching sender with Basic auth', async () => {
    expect(await send('+14155550199')).toMatchObject({ ok: true, platformMessageIds: [expect.stringMatching(/^SM/)] });
    expect(await send('whatsapp:+14155550199')).toMatchObject({ ok: true });
    const long = await twilioChannel.send(ctx(), { conversationKey: '+14155550199', text: 'y '.repeat(1000) });
    expect(long.ok && long.platformMessageIds.length).toBe(2);
  });

  it('maps unsubscribed, rate limits, 5xx and bad credentials', async () => {
    expect(await send('+15005550100')).toMatchObject({ ok: false, retryable: false, code: 'unsubscribed' });
    expect(await send('+15005550429')).toMatchObject({
      ok: false,
      retryable: true,
      code: 'rate_limited',
      retryAfterMs: 2000,
    });
    expect(await send('+15005550500')).toMatchObject({ ok: false, retryable: true, code: 'server_error' });
    const bad = { ...ctx(), settings: { ...settings, authToken: 'wrong' } };
    expect(await send('+14155550199', bad)).toMatchObject({ ok: false, retryable: false, code: 'twilio_20003' });
    const noSender = { ...ctx(), settings: { ...settings, whatsappFrom: undefined } };
    expect(await send('whatsapp:+1555', noSender)).toMatchObject({ ok: false, code: 'no_sender' });
  });
});
