/**
 * The fake OpenAI API's audio endpoints (platform.openai.com/docs/api-reference/audio):
 *
 * - `POST /v1/audio/transcriptions`: multipart/form-data with `file` and `model` (optional `language`, ISO-639-1).
 *   The "speech" in a test file is UTF-8 text, so the transcript is the file's text; other bytes (real audio) get
 *   a fixed transcript naming their size. Answers `{ text, usage }` as the API does for `response_format: json`.
 * - `POST /v1/audio/speech`: JSON `{ model, input, voice, response_format }`. Answers audio bytes with the format's
 *   content type: the container's magic bytes, then `<voice>:<input>` in UTF-8, so tests can check what was said.
 *
 * Errors use the API's JSON shape and its wording where known (file format, missing file, input too long).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readMultipart, readRaw } from '../../../sdk/fake/request-log.ts';
import type { ApiError } from './wire.ts';
import { apiError, errors } from './wire.ts';

const TRANSCRIPTION_MODELS = new Set(['whisper-1', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe']);
const SPEECH_MODELS = new Set(['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts']);
const VOICES = new Set('alloy ash ballad coral echo fable onyx nova sage shimmer verse marin cedar'.split(' '));
const FILE_FORMATS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];
/** Content type and leading magic bytes per `response_format`. */
const SPEECH_FORMATS: Record<string, { type: string; magic: string }> = {
  mp3: { type: 'audio/mpeg', magic: 'ID3' },
  opus: { type: 'audio/ogg', magic: 'OggS' },
  aac: { type: 'audio/aac', magic: 'ADIF' },
  flac: { type: 'audio/flac', magic: 'fLaC' },
  wav: { type: 'audio/wav', magic: 'RIFF' },
  pcm: { type: 'audio/pcm', magic: '' },
};
// "The maximum length is 4096 characters" (audio/createSpeech).
const MAX_SPEECH_INPUT = 4096;

/** Answers a request under `/v1/audio/`; `authError` is the server's verdict on the Authorization header. */
export async function handleAudio(req: IncomingMessage, res: ServerResponse, authError?: ApiError): Promise<void> {
  const raw = await readRaw(req);
  if (authError) return sendError(res, authError);
  const path = new URL(req.url ?? '/', 'http://fake').pathname;
  const method = req.method ?? 'GET';
  if (method === 'POST' && path === '/v1/audio/transcriptions') return transcribe(req, res, raw);
  if (method === 'POST' && path === '/v1/audio/speech') {
    const speech = synthesize(raw);
    if ('status' in speech) return sendError(res, speech);
    res.writeHead(200, { 'content-type': speech.type, 'content-length': String(speech.audio.byteLength) });
    return void res.end(speech.audio);
  }
  return sendError(res, errors.invalidUrl(method, path));
}

async function transcribe(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
  const contentType = req.headers['content-type'] ?? '';
  const form = contentType.startsWith('multipart/form-data') ? await readMultipart(contentType, raw) : null;
  if (!form) return sendError(res, apiError(400, 'Expected a multipart/form-data request body.'));
  const file = form.get('file');
  if (!(file instanceof File)) {
    // The API's validation error for a missing upload, word for word.
    return sendError(
      res,
      apiError(400, '1 validation error for Request\nbody -> file\n  field required (type=value_error.missing)'),
    );
  }
  const model = form.get('model');
  if (typeof model !== 'string' || model === '') return sendError(res, errors.missingModel());
  if (!TRANSCRIPTION_MODELS.has(model)) return sendError(res, errors.modelNotFound(model));
  const extension = file.name.includes('.') ? (file.name.split('.').pop()?.toLowerCase() ?? '') : '';
  if (!FILE_FORMATS.includes(extension)) {
    const supported = FILE_FORMATS.map((format) => `'${format}'`).join(', ');
    return sendError(res, apiError(400, `Invalid file format. Supported formats: [${supported}]`));
  }
  if (file.size === 0) {
    return sendError(
      res,
      apiError(400, 'Audio file might be corrupted or unsupported', { param: 'file', code: 'invalid_value' }),
    );
  }
  const language = form.get('language');
  if (language !== null && (typeof language !== 'string' || !/^[a-z]{2}$/.test(language))) {
    return sendError(res, errors.invalid('language', `Language '${String(language)}' is not supported.`));
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = `Fake transcript of ${bytes.byteLength} bytes of audio.`;
  }
  const usage =
    model === 'whisper-1'
      ? { type: 'duration', seconds: 1 }
      : { type: 'tokens', input_tokens: bytes.byteLength, output_tokens: text.split(/\s+/).length, total_tokens: 0 };
  return sendJson(res, 200, { text, usage });
}

/** The speech for a `/v1/audio/speech` body, or the API's error for it. */
function synthesize(raw: Buffer): ApiError | { type: string; audio: Buffer } {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return errors.invalidJson();
  }
  const request = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  for (const param of ['model', 'input', 'voice']) {
    if (request[param] === undefined) return errors.missing(param);
  }
  const { model, input, voice } = request;
  if (typeof model !== 'string' || !SPEECH_MODELS.has(model)) return errors.modelNotFound(String(model));
  if (typeof input !== 'string') return errors.invalid('input', 'expected a string.', 'invalid_type');
  const length = [...input].length;
  if (length > MAX_SPEECH_INPUT) {
    return errors.invalid(
      'input',
      `string too long. Expected a string with maximum length ${MAX_SPEECH_INPUT}, but got a string with length ` +
        `${length} instead.`,
      'string_above_max_length',
    );
  }
  if (typeof voice !== 'string' || !VOICES.has(voice)) {
    return errors.invalid('voice', `Value '${String(voice)}' is not a supported voice.`);
  }
  const responseFormat = request.response_format ?? 'mp3';
  const format = typeof responseFormat === 'string' ? SPEECH_FORMATS[responseFormat] : undefined;
  if (!format) {
    return errors.invalid('response_format', `Value '${String(responseFormat)}' is not supported.`);
  }
  const audio = Buffer.concat([Buffer.from(format.magic, 'latin1'), Buffer.from(`${voice}:${input}`, 'utf8')]);
  return { type: format.type, audio };
}

function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, error.body, error.headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
