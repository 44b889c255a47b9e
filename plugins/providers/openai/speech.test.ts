import { describe, expect, it } from 'vitest';
import type { PluginContext } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import { OpenAIProviderError } from './errors.ts';
import { openaiProvider } from './index.ts';
import type { OpenAISettings } from './settings.ts';
import { MAX_SPEECH_INPUT_CHARACTERS } from './speak.ts';
import { fakeSettings } from './testing.ts';
import { MAX_TRANSCRIPTION_BYTES } from './transcribe.ts';

interface SentAudio {
  url: string;
  headers: Headers;
  /** The multipart body as the SDK built it, for transcriptions. */
  form?: FormData;
  /** The JSON body, for speech. */
  json?: Record<string, unknown>;
}

/** A context whose fetch reaches the fake over real HTTP and records what the SDK sent to it. */
function audioContext(settings: Record<string, unknown> = {}): {
  ctx: PluginContext<OpenAISettings>;
  sent: SentAudio[];
} {
  const sent: SentAudio[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith('http')) {
      const body = init?.body;
      sent.push({
        url,
        headers: new Headers(init?.headers),
        ...(body instanceof FormData ? { form: body } : {}),
        ...(typeof body === 'string' ? { json: JSON.parse(body) as Record<string, unknown> } : {}),
      });
    }
    return fetch(input, init);
  };
  return {
    ctx: {
      settings: fakeSettings(settings),
      fetch: recordingFetch,
      clock: fakeClock(),
      signal: new AbortController().signal,
    },
    sent,
  };
}

const transcribe = (ctx: PluginContext<OpenAISettings>, audio: ArrayBuffer, mimeType = 'audio/ogg; codecs=opus') => {
  if (!openaiProvider.transcribe) throw new Error('the openai provider has no transcribe hook');
  return openaiProvider.transcribe(ctx, { audio, mimeType });
};

const speak = (ctx: PluginContext<OpenAISettings>, text: string, voice?: string) => {
  if (!openaiProvider.speak) throw new Error('the openai provider has no speak hook');
  return openaiProvider.speak(ctx, { text, ...(voice ? { voice } : {}) });
};

const bytes = (text: string): ArrayBuffer => new TextEncoder().encode(text).buffer as ArrayBuffer;

describe('openai transcribe, against the fake API through the official SDK', () => {
  it('declares speech to text and text to speech', () => {
    expect(openaiProvider.capabilities.speechToText).toBe(true);
    expect(openaiProvider.capabilities.textToSpeech).toBe(true);
  });

  it('uploads the audio as multipart with the default model and returns the transcript', async () => {
    const { ctx, sent } = audioContext();
    const result = await transcribe(ctx, bytes('Hello from a voice note'));
    expect(result).toEqual({ text: 'Hello from a voice note' });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/audio\/transcriptions$/);
    expect(sent[0]?.headers.get('authorization')).toBe('Bearer test-key');
    const form = sent[0]?.form;
    expect(form?.get('model')).toBe('gpt-4o-mini-transcribe');
    const file = form?.get('file');
    expect(file).toBeInstanceOf(File);
    // The API identifies the format by the extension, so the file is named after the channel's media type.
    expect((file as File).name).toBe('voice.ogg');
    expect((file as File).type).toBe('audio/ogg');
    expect(form?.has('language')).toBe(false);
  });

  it('uses the transcriptionModel setting, a language hint, and names MP3 and M4A uploads by their type', async () => {
    const { ctx, sent } = audioContext({ transcriptionModel: 'whisper-1' });
    if (!openaiProvider.transcribe) throw new Error('no transcribe hook');
    const mp3 = await openaiProvider.transcribe(ctx, {
      audio: bytes('Bonjour'),
      mimeType: 'audio/mpeg',
      language: 'fr',
    });
    expect(mp3.text).toBe('Bonjour');
    await transcribe(ctx, bytes('m4a'), 'audio/mp4');
    expect(sent.map((request) => request.form?.get('model'))).toEqual(['whisper-1', 'whisper-1']);
    expect(sent[0]?.form?.get('language')).toBe('fr');
    expect(sent.map((request) => (request.form?.get('file') as File | undefined)?.name)).toEqual([
      'voice.mp3',
      'voice.m4a',
    ]);
  });

  it('sends real binary audio intact', async () => {
    const { ctx } = audioContext();
    // OggS magic then bytes that are not UTF-8: the fake answers with their size when it cannot read them as text.
    const audio = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0xff, 0xfe, 0x00, 0x80, 0xc3]);
    const result = await transcribe(ctx, audio.buffer as ArrayBuffer);
    expect(result.text).toBe('Fake transcript of 9 bytes of audio.');
  });

  it('maps a wrong key to a readable 401 that does not contain the key', async () => {
    const apiKey = 'sk-proj-VoiceSecret0123456789WXYZ';
    const { ctx } = audioContext({ apiKey });
    const failure = transcribe(ctx, bytes('hello'));
    await expect(failure).rejects.toBeInstanceOf(OpenAIProviderError);
    await expect(failure).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    await expect(failure).rejects.toThrow(/^OpenAI-compatible API at 127\.0\.0\.1:\d+ error 401 invalid_api_key: /);
    const message = await failure.catch((error: Error) => error.message);
    for (const fragment of [apiKey, 'sk-proj-', 'WXYZ']) expect(message).not.toContain(fragment);
  });

  it('maps a model the API does not have to 404 model_not_found', async () => {
    const { ctx } = audioContext({ transcriptionModel: 'whisper-9' });
    await expect(transcribe(ctx, bytes('hello'))).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    await expect(transcribe(ctx, bytes('hello'))).rejects.toThrow('The model `whisper-9` does not exist');
  });

  it('refuses a format OpenAI cannot read, an empty file and a file over 25 MB without calling the API', async () => {
    const { ctx, sent } = audioContext();
    await expect(transcribe(ctx, bytes('amr'), 'audio/amr')).rejects.toMatchObject({
      code: 'unsupported_audio_format',
      message: expect.stringContaining('Cannot transcribe audio/amr'),
    });
    await expect(transcribe(ctx, new ArrayBuffer(0))).rejects.toMatchObject({ code: 'empty_audio' });
    await expect(transcribe(ctx, new ArrayBuffer(MAX_TRANSCRIPTION_BYTES + 1))).rejects.toMatchObject({
      status: 413,
      code: 'audio_too_large',
      message: 'Cannot transcribe 25.0 MB of audio: OpenAI accepts at most 25 MB per file',
    });
    expect(sent).toEqual([]);
  });
});

describe('the fake transcription endpoint answers like the API', () => {
  const post = async (form: FormData, key = 'test-key') => {
    const res = await fetch(`${fakeSettings().baseUrl}/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as { error?: { message: string; param: string | null } } };
  };

  it('rejects a request without a file', async () => {
    const form = new FormData();
    form.set('model', 'whisper-1');
    const { status, body } = await post(form);
    expect(status).toBe(400);
    expect(body.error?.message).toContain('body -> file\n  field required');
  });

  it('rejects a file whose extension is not an audio format', async () => {
    const form = new FormData();
    form.set('model', 'whisper-1');
    form.set('file', new File(['hi'], 'voice.amr', { type: 'audio/amr' }));
    const { status, body } = await post(form);
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(/^Invalid file format\. Supported formats: \['flac', 'm4a', /);
  });
});

describe('openai speak, against the fake API through the official SDK', () => {
  it('asks gpt-4o-mini-tts for Opus with the alloy voice and returns OGG audio', async () => {
    const { ctx, sent } = audioContext();
    const { audio, mimeType } = await speak(ctx, '  Hello there!  ');
    expect(mimeType).toBe('audio/ogg');
    // The fake's "audio" is the Ogg magic bytes, then what it was asked to say.
    expect(new TextDecoder().decode(audio)).toBe('OggSalloy:Hello there!');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toMatch(/\/v1\/audio\/speech$/);
    expect(sent[0]?.headers.get('authorization')).toBe('Bearer test-key');
    expect(sent[0]?.json).toEqual({
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      input: 'Hello there!',
      response_format: 'opus',
    });
  });

  it('passes the requested voice, and maps a voice the API rejects to a readable 400', async () => {
    const { ctx } = audioContext();
    expect(new TextDecoder().decode((await speak(ctx, 'Hi', 'nova')).audio)).toBe('OggSnova:Hi');
    await expect(speak(ctx, 'Hi', 'robot')).rejects.toMatchObject({ status: 400, code: 'invalid_value' });
    await expect(speak(ctx, 'Hi', 'robot')).rejects.toThrow(/error 400 invalid_value: Invalid 'voice'/);
  });

  it('counts characters as the API does: 4096 emoji pass, one more fails before any request', async () => {
    const { ctx, sent } = audioContext();
    const emoji = '🙂'.repeat(MAX_SPEECH_INPUT_CHARACTERS);
    // 8192 UTF-16 code units, but 4096 characters: within the limit.
    await expect(speak(ctx, emoji)).resolves.toMatchObject({ mimeType: 'audio/ogg' });
    await expect(speak(ctx, `${emoji}!`)).rejects.toMatchObject({
      code: 'input_too_long',
      message: 'Cannot speak 4097 characters: OpenAI text-to-speech accepts at most 4096',
    });
    await expect(speak(ctx, '   ')).rejects.toMatchObject({ code: 'empty_input' });
    expect(sent).toHaveLength(1);
  });

  it('maps a wrong key to a readable 401', async () => {
    const { ctx } = audioContext({ apiKey: 'sk-wrong-speech-key-12345' });
    const failure = speak(ctx, 'Hello');
    await expect(failure).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    await expect(failure).rejects.not.toThrow(/12345|sk-wrong/);
  });
});
