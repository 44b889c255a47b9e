/**
 * A fake Messenger Send API (Graph API) on loopback: `POST /v21.0/{page-id}/messages` with `Authorization: Bearer
 * test-page-token`, a JSON body with `recipient.id` and either `messaging_type` + `message.text` (≤ 2000 chars) or
 * `sender_action`. Answers `{ recipient_id, message_id }`, or the real Graph error JSON. The recipient picks errors:
 * `psid-ratelimited` (613), `psid-window` (10 / 2018278), `psid-blocked` (551), `psid-500` (HTTP 500).
 * Attachments: a multipart send (`recipient`, `message` as JSON strings + a `filedata` file, as for audio replies)
 * answers like a text send; `GET /cdn/<name>` serves the bytes an inbound attachment's `payload.url` points to
 * (public like Meta's signed CDN URLs, no token; plugins/sdk/fake/media.ts picks the sample from the name).
 *
 * Every request is recorded: `GET /__requests[?contains=<substring of the JSON body>]` (see plugins/sdk/fake/request-log.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { serveSample } from '../../../sdk/fake/media.ts';
import { RequestLog, readMultipart } from '../../../sdk/fake/request-log.ts';

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

let sent = 0;

type SendBody = {
  recipient?: { id?: string };
  messaging_type?: string;
  message?: { text?: string; attachment?: { type?: string } };
  sender_action?: string;
};

/** A multipart send carries `recipient` and `message` as JSON strings next to the uploaded `filedata`. */
async function multipartSend(contentType: string, raw: Buffer): Promise<SendBody | null> {
  const form = await readMultipart(contentType, raw);
  const file = form?.get('filedata');
  if (!form || typeof file !== 'object' || file === null || file.size === 0) return null;
  try {
    return {
      recipient: JSON.parse(String(form.get('recipient'))) as SendBody['recipient'],
      messaging_type: String(form.get('messaging_type') ?? ''),
      message: JSON.parse(String(form.get('message'))) as SendBody['message'],
    };
  } catch {
    return null;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, log: RequestLog): Promise<void> {
  const raw = await log.intake(req, res);
  if (!raw) return;
  const path = new URL(req.url ?? '/', 'http://fake').pathname;
  if (req.method === 'GET' && path.startsWith('/cdn/')) return serveSample(res, path);
  if (req.method !== 'POST' || !/^\/v21\.0\/[^/]+\/messages$/.test(path)) {
    return graphError(res, 400, 'Unknown path components', 2500);
  }
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    return graphError(res, 400, 'Invalid OAuth access token - Cannot parse access token', 190);
  }
  const contentType = String(req.headers['content-type'] ?? '');
  let json: SendBody;
  if (contentType.startsWith('multipart/form-data')) {
    const parsed = await multipartSend(contentType, raw);
    if (!parsed) return graphError(res, 400, '(#100) Upload attachment failure.', 100);
    json = parsed;
  } else {
    try {
      json = JSON.parse(raw.toString('utf8')) as SendBody;
    } catch {
      return graphError(res, 400, 'Invalid JSON', 100);
    }
  }
  const recipient = json.recipient?.id;
  if (!recipient) return graphError(res, 400, '(#100) The parameter recipient is required', 100);
  if (json.sender_action === undefined) {
    const text = json.message?.text;
    if (json.messaging_type !== 'RESPONSE') return graphError(res, 400, '(#100) messaging_type is required', 100);
    if (json.message?.attachment) {
      if (!['audio', 'image', 'video', 'file'].includes(String(json.message.attachment.type))) {
        return graphError(res, 400, '(#100) Invalid attachment type', 100);
      }
    } else if (!text || text.length > 2000)
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

export async function start(): Promise<RunningFake> {
  const log = new RequestLog();
  const server = createServer((req, res) => {
    handle(req, res, log).catch(() => graphError(res, 500, 'fake failed', 1));
  });
  return listen(server, '/v21.0');
}
