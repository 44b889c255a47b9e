/**
 * A fake Messenger Send API (Graph API) on loopback: `POST /v21.0/{page-id}/messages` with `Authorization: Bearer
 * test-page-token`, a JSON body with `recipient.id` and either `messaging_type` + `message.text` (≤ 2000 chars) or
 * `sender_action`. Answers `{ recipient_id, message_id }`, or the real Graph error JSON. The recipient picks errors:
 * `psid-ratelimited` (613), `psid-window` (10 / 2018278), `psid-blocked` (551), `psid-500` (HTTP 500).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const name = 'messenger';

const TOKEN = 'test-page-token';

function graphError(res: ServerResponse, status: number, message: string, code: number, subcode?: number): void {
  const error = {
    message,
    type: 'OAuthException',
    code,
    ...(subcode ? { error_subcode: subcode } : {}),
    fbtrace_id: 'AbC',
  };
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

let sent = 0;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://fake').pathname;
  const body = await readBody(req);
  if (req.method !== 'POST' || !/^\/v21\.0\/[^/]+\/messages$/.test(path)) {
    return graphError(res, 400, 'Unknown path components', 2500);
  }
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    return graphError(res, 400, 'Invalid OAuth access token - Cannot parse access token', 190);
  }
  let json: {
    recipient?: { id?: string };
    messaging_type?: string;
    message?: { text?: string };
    sender_action?: string;
  };
  try {
    json = JSON.parse(body);
  } catch {
    return graphError(res, 400, 'Invalid JSON', 100);
  }
  const recipient = json.recipient?.id;
  if (!recipient) return graphError(res, 400, '(#100) The parameter recipient is required', 100);
  if (json.sender_action === undefined) {
    const text = json.message?.text;
    if (json.messaging_type !== 'RESPONSE') return graphError(res, 400, '(#100) messaging_type is required', 100);
    if (!text || text.length > 2000)
      return graphError(res, 400, '(#100) Length of param message[text] must be less than or equal to 2000', 100);
  } else if (!['typing_on', 'typing_off', 'mark_seen'].includes(json.sender_action)) {
    return graphError(res, 400, '(#100) Param sender_action must be one of {MARK_SEEN, TYPING_ON, TYPING_OFF}', 100);
  }
  if (recipient === 'psid-ratelimited')
    return graphError(res, 400, '(#613) Calls to this api have exceeded the rate limit.', 613);
  if (recipient === 'psid-window') {
    return graphError(res, 400, '(#10) This message is sent outside of allowed window.', 10, 2018278);
  }
  if (recipient === 'psid-blocked')
    return graphError(res, 400, "(#551) This person isn't available right now.", 551, 1545041);
  if (recipient === 'psid-500') return graphError(res, 500, 'An unknown error has occurred.', 1);
  if (json.sender_action !== undefined) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ recipient_id: recipient }));
    return;
  }
  sent++;
  const reply = { recipient_id: recipient, message_id: `m_fake-${sent}` };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
}

export async function start(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => graphError(res, 500, 'fake failed', 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
