/**
 * A fake Twilio REST API on loopback: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, with HTTP
 * Basic auth `AC000…001:12345`. Requires To, a Body ≤ 1600 chars or a MediaUrl (absolute http(s), at most 10), and
 * From or MessagingServiceSid, and answers
 * 201 with a Message resource, or Twilio's error JSON `{ code, message, more_info, status }`. Recipients pick errors:
 * `+15005550100` unsubscribed (21610), `+15005550429` (HTTP 429, 20429), `+15005550500` (HTTP 500).
 * Inbound media: `GET /2010-04-01/Accounts/{AccountSid}/Messages/{MM…}/Media/{ME…}` needs the same Basic auth
 * (401 without) and, like Twilio, redirects (307) to a short-lived CDN URL, `GET /cdn/<media sid>`, which serves
 * the bytes (plugins/sdk/fake/media.ts picks the sample from the media sid: "photo" → PNG, "doc" → PDF, else Ogg/Opus).
 *
 * Every request is recorded: `GET /__requests[?contains=<substring of the JSON body>]` (see plugins/sdk/fake/request-log.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { serveSample } from '../../../sdk/fake/media.ts';
import { RequestLog } from '../../../sdk/fake/request-log.ts';

export const name = 'twilio';

const ACCOUNT = 'AC00000000000000000000000000000001';
const TOKEN = '12345'; // the auth token of Twilio's published signature vectors

function error(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
) {
  const body = { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

let sent = 0;

const BASIC = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`;
const MEDIA = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/(MM\w+)\/Media\/(ME\w+)$/;

async function handle(req: IncomingMessage, res: ServerResponse, log: RequestLog): Promise<void> {
  const rawBody = await log.intake(req, res);
  if (!rawBody) return;
  const raw = rawBody.toString('utf8');
  const path = new URL(req.url ?? '/', 'http://fake').pathname;
  if (req.method === 'GET' && path.startsWith('/cdn/')) return serveSample(res, path.slice('/cdn/'.length));
  const media = MEDIA.exec(path);
  if (req.method === 'GET' && media) {
    if (req.headers.authorization !== BASIC || media[1] !== ACCOUNT) {
      return error(res, 401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });
    }
    res.writeHead(307, { location: `/cdn/${media[3]}` }).end();
    return;
  }
  const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
  if (req.method !== 'POST' || !match) return error(res, 404, 20404, 'The requested resource was not found');
  if (req.headers.authorization !== BASIC || match[1] !== ACCOUNT) {
    return error(res, 401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });
  }
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return error(res, 400, 21620, 'Invalid content type');
  }
  const form = new URLSearchParams(raw);
  const to = form.get('To');
  const body = form.get('Body');
  if (!to) return error(res, 400, 21604, "A 'To' phone number is required.");
  if (!form.get('From') && !form.get('MessagingServiceSid'))
    return error(res, 400, 21603, "A 'From' phone number is required.");
  const mediaUrls = form.getAll('MediaUrl');
  // Twilio's rule: a message needs a Body or at least one MediaUrl; each MediaUrl must be an absolute http(s) URL
  // (https://www.twilio.com/docs/api/errors/21602, /21620).
  if (!body && mediaUrls.length === 0) return error(res, 400, 21602, 'Message body is required.');
  if (mediaUrls.some((url) => !/^https?:\/\/[^/]+\//.test(url))) return error(res, 400, 21620, 'Invalid media URL(s)');
  if (mediaUrls.length > 10) return error(res, 400, 21623, 'Number of media files exceeds allowed limit');
  if (body && body.length > 1600)
    return error(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  const number = to.replace(/^whatsapp:/, '');
  if (number === '+15005550100') {
    return error(res, 400, 21610, 'Attempt to send to unsubscribed recipient');
  }
  if (number === '+15005550429') return error(res, 429, 20429, 'Too Many Requests', { 'retry-after': '2' });
  if (number === '+15005550500') return error(res, 500, 20500, 'Internal Server Error');
  sent++;
  const sid = `SM${String(sent).padStart(32, '0')}`;
  const message = {
    sid,
    account_sid: ACCOUNT,
    to,
    from: form.get('From'),
    body: body ?? '',
    status: 'queued',
    num_segments: '1',
    num_media: String(mediaUrls.length),
  };
  res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(message));
}

export async function start(): Promise<RunningFake> {
  const log = new RequestLog();
  const server = createServer((req, res) => {
    handle(req, res, log).catch(() => error(res, 500, 20500, 'Internal Server Error'));
  });
  return listen(server);
}
