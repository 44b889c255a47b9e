/**
 * A fake WhatsApp Cloud API (Graph API) on loopback: `POST /v<major>.<minor>/<phone-number-id>/messages`
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages). It checks the Bearer token (190
 * OAuthException), the phone number id (100 GraphMethodException), `messaging_product`, the text body (1-4096
 * characters) and read receipts, and answers with the real success and error JSON. Recipients pick failures
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes):
 * 15550001047 → 131047 re-engagement window expired, 15550000429 → 130429 throughput limit,
 * 15550001056 → 131056 pair rate limit, 15550001026 → 131026 undeliverable, 15550000500 → HTTP 500 code 131000.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const name = 'whatsapp';
const ACCESS_TOKEN = 'test-access-token';
const PHONE_NUMBER_ID = '106540352242922';

type Answer = { status: number; body: unknown };
const graphError = (
  status: number,
  code: number,
  message: string,
  type = 'OAuthException',
  details?: string,
): Answer => ({
  status,
  body: {
    error: {
      message,
      type,
      code,
      ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
      fbtrace_id: 'AFakeTraceId0123456789',
    },
  },
});

const SCENARIOS: Record<string, Answer> = {
  '15550001047': graphError(
    400,
    131047,
    '(#131047) Re-engagement message',
    'OAuthException',
    'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  ),
  '15550000429': graphError(
    400,
    130429,
    '(#130429) Rate limit hit',
    'OAuthException',
    'Cloud API message throughput has been reached.',
  ),
  '15550001056': graphError(
    400,
    131056,
    '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    'OAuthException',
    'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  ),
  '15550001026': graphError(
    400,
    131026,
    '(#131026) Message Undeliverable.',
    'OAuthException',
    'Message Undeliverable.',
  ),
  '15550000500': graphError(500, 131000, '(#131000) Something went wrong', 'OAuthException', 'Something went wrong'),
};

function answer(body: Record<string, unknown>, next: () => number): Answer {
  if (body.messaging_product !== 'whatsapp') {
    return graphError(400, 100, '(#100) The parameter messaging_product is required.', 'OAuthException');
  }
  if (body.status === 'read') {
    if (typeof body.message_id !== 'string' || !body.message_id.startsWith('wamid.')) {
      return graphError(400, 100, '(#100) Invalid parameter', 'OAuthException', 'message_id is invalid');
    }
    const typing = body.typing_indicator as { type?: unknown } | undefined;
    if (typing !== undefined && typing.type !== 'text') {
      return graphError(400, 100, '(#100) Invalid parameter', 'OAuthException', 'typing_indicator.type must be text');
    }
    return { status: 200, body: { success: true } };
  }
  const to = body.to;
  if (typeof to !== 'string' || !/^\+?\d{6,15}$/.test(to)) {
    return graphError(400, 100, '(#100) The parameter to is required.', 'OAuthException');
  }
  if (body.type !== 'text') return graphError(400, 100, '(#100) Param type must be one of {…}', 'OAuthException');
  const text = body.text as { body?: unknown } | undefined;
  if (typeof text?.body !== 'string' || text.body.trim() === '') {
    return graphError(400, 100, "(#100) The parameter text['body'] is required.", 'OAuthException');
  }
  if ([...text.body].length > 4096) {
    return graphError(400, 100, "(#100) Param text['body'] must be at most 4096 characters long.", 'OAuthException');
  }
  const scenario = SCENARIOS[to.replace(/^\+/, '')];
  if (scenario) return scenario;
  const waId = to.replace(/^\+/, '');
  return {
    status: 200,
    body: {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: waId }],
      messages: [{ id: `wamid.FAKE-${String(next()).padStart(6, '0')}` }],
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, next: () => number): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const match = /^\/v\d+\.\d+\/(\d+)\/messages$/.exec(new URL(req.url ?? '/', 'http://fake').pathname);
  let result: Answer;
  if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
    result = graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
  } else if (!match || req.method !== 'POST') {
    result = graphError(400, 100, 'Unknown path components', 'OAuthException');
  } else if (match[1] !== PHONE_NUMBER_ID) {
    const message = `Unsupported post request. Object with ID '${match[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`;
    result = graphError(400, 100, message, 'GraphMethodException');
  } else {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = null;
    }
    result =
      typeof body === 'object' && body !== null && String(req.headers['content-type']).startsWith('application/json')
        ? answer(body as Record<string, unknown>, next)
        : graphError(400, 100, '(#100) The parameter messaging_product is required.');
  }
  res.writeHead(result.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(result.body));
}

export async function start(): Promise<{ url: string; close(): Promise<void> }> {
  let sent = 0;
  const server = createServer((req, res) => {
    handle(req, res, () => ++sent).catch(() => {
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
