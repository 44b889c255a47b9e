import { env } from 'cloudflare:test';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { addChatbot, seedDemo } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import { speechProvider } from './speech-provider.ts';
import { MAX_SPOKEN_CHARACTERS, speakableText, synthesizeReply, transcribeVoice, withoutMarkdown } from './voice.ts';

const fakeOpenAi = (): string => {
  const url = inject('fakeServers').openai;
  if (!url) throw new Error('The fake OpenAI server is not running');
  return url;
};

const llm = (providerId: string, credentialId: string | null) => ({
  providerId,
  credentialId,
  model: providerId === 'offline' ? 'offline-echo' : 'gpt-4o-mini',
  systemPrompt: 'Be brief.',
  parameters: {},
  tools: [],
  maxToolSteps: 1,
});

/** An OpenAI credential pointed at the fake API (`test-key` is the key it accepts). */
const openaiCredential = (apiKey = 'test-key') => ({
  id: `cred_${crypto.randomUUID()}`,
  providerId: 'openai',
  settings: { baseUrl: fakeOpenAi(), maxRetries: 0 },
  secrets: { apiKey },
});

/** A fresh team with one chatbot on `providerId`, optionally with an OpenAI credential; returns the channel. */
async function channelFor(
  providerId: 'openai' | 'offline',
  options: { credential?: ReturnType<typeof openaiCredential>; chatbotUsesCredential?: boolean } = {},
) {
  const { teamId } = await seedDemo();
  const { credential } = options;
  const uses = options.chatbotUsesCredential ?? providerId === 'openai';
  const chatbotId = await addChatbot(
    teamId,
    simpleDefinition(llm(providerId, uses && credential ? credential.id : null)),
    credential,
  );
  return { id: `chn_${crypto.randomUUID()}`, teamId, chatbotId };
}

const voiceNote = (text: string) => ({
  body: new TextEncoder().encode(text).buffer as ArrayBuffer,
  mimeType: 'audio/ogg; codecs=opus',
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('transcribeVoice: who transcribes', () => {
  it("uses the chatbot's own OpenAI provider and credential", async () => {
    const channel = await channelFor('openai', { credential: openaiCredential() });
    expect((await speechProvider(env, channel, 'transcribe'))?.source).toBe('chatbot');
    expect(await transcribeVoice(env, channel, voiceNote('  What are your opening hours?\n'))).toBe(
      'What are your opening hours?',
    );
  });

  it("falls back to the team's OpenAI credential when the chatbot runs on the offline provider", async () => {
    const channel = await channelFor('offline', { credential: openaiCredential() });
    const chosen = await speechProvider(env, channel, 'transcribe');
    expect(chosen?.source).toBe('team-openai');
    expect(chosen?.provider.id).toBe('openai');
    expect(await transcribeVoice(env, channel, voiceNote('Hello offline bot'))).toBe('Hello offline bot');
  });

  it("falls back to the team's credential when the chatbot's own OpenAI credential is gone", async () => {
    const { teamId } = await seedDemo();
    const spare = openaiCredential();
    const chatbotId = await addChatbot(teamId, simpleDefinition(llm('openai', 'cred_deleted')), spare);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const channel = { id: 'chn_gone', teamId, chatbotId };
    expect((await speechProvider(env, channel, 'transcribe'))?.source).toBe('team-openai');
    expect(await transcribeVoice(env, channel, voiceNote('Still heard'))).toBe('Still heard');
    expect(warn.mock.calls.flat().join('\n')).toContain('credentials for this chatbot are missing');
  });

  it('answers null when the chatbot is offline and the team has no OpenAI credential', async () => {
    const channel = await channelFor('offline');
    expect(await speechProvider(env, channel, 'transcribe')).toBeNull();
    expect(await transcribeVoice(env, channel, voiceNote('Anyone there?'))).toBeNull();
    expect(await synthesizeReply(env, channel, 'Nobody can say this.')).toBeNull();
  });

  it("never uses another team's chatbot or credential", async () => {
    const other = await channelFor('openai', { credential: openaiCredential() });
    const { teamId } = await seedDemo();
    const channel = { id: 'chn_cross', teamId, chatbotId: other.chatbotId };
    expect(await speechProvider(env, channel, 'transcribe')).toBeNull();
    expect(await transcribeVoice(env, channel, voiceNote('Not yours'))).toBeNull();
  });

  it('answers null for a voice note with no words in it', async () => {
    const channel = await channelFor('openai', { credential: openaiCredential() });
    expect(await transcribeVoice(env, channel, voiceNote(' \n\t '))).toBeNull();
  });

  it('answers null and logs a line without the key when the provider fails', async () => {
    const apiKey = 'sk-proj-WrongVoiceKey0123456789ABCD';
    const channel = await channelFor('openai', { credential: openaiCredential(apiKey) });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await transcribeVoice(env, channel, voiceNote('Hello'))).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    const line = JSON.parse(String(warn.mock.calls[0]?.[0])) as Record<string, string>;
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'voice transcription failed',
      channelId: channel.id,
      provider: 'openai',
      source: 'chatbot',
    });
    expect(line.error).toContain('401 invalid_api_key');
    for (const fragment of [apiKey, 'sk-proj-', 'ABCD']) expect(JSON.stringify(line)).not.toContain(fragment);
  });
});

describe('synthesizeReply', () => {
  it('speaks the reply through the chosen provider as OGG/Opus', async () => {
    const channel = await channelFor('offline', { credential: openaiCredential() });
    const speech = await synthesizeReply(env, channel, '  We open at nine.  ');
    expect(speech?.mimeType).toBe('audio/ogg');
    // The fake's audio is the Ogg magic bytes, then `<voice>:<input>`.
    expect(new TextDecoder().decode(speech?.audio)).toBe('OggSalloy:We open at nine.');
  });

  it('cuts a reply over the TTS limit after the last whole sentence that fits', async () => {
    const channel = await channelFor('openai', { credential: openaiCredential() });
    const sentence = 'Each sentence here ends with a full stop. ';
    const text = sentence.repeat(200);
    const speech = await synthesizeReply(env, channel, text);
    const spoken = new TextDecoder().decode(speech?.audio).replace(/^OggSalloy:/, '');
    expect(spoken.length).toBeLessThanOrEqual(MAX_SPOKEN_CHARACTERS);
    expect(spoken.endsWith('full stop.')).toBe(true);
    expect(spoken).toBe(sentence.repeat(Math.floor(MAX_SPOKEN_CHARACTERS / sentence.length)).trim());
  });

  it('answers null for an empty reply without calling anyone', async () => {
    const channel = await channelFor('openai', { credential: openaiCredential('sk-would-fail-if-called-000') });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await synthesizeReply(env, channel, '   ')).toBeNull();
    expect(warn).not.toHaveBeenCalled();
  });

  it('answers null and logs when the provider fails', async () => {
    const channel = await channelFor('openai', { credential: openaiCredential('sk-wrong-speech-key-000000') });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await synthesizeReply(env, channel, 'Hello')).toBeNull();
    expect(String(warn.mock.calls[0]?.[0])).toContain('voice synthesis failed');
    expect(String(warn.mock.calls[0]?.[0])).not.toContain('sk-wrong-speech-key');
  });
});

describe('speakableText', () => {
  it('keeps a text within the limit whole, trimmed', () => {
    expect(speakableText('  Hi there. How are you?  ', 30)).toBe('Hi there. How are you?');
  });

  it('cuts after the last sentence end that fits, including closing quotes', () => {
    expect(speakableText('One. Two! Three? Four and more words', 20)).toBe('One. Two! Three?');
    expect(speakableText('He said "stop." Then he went on and on', 20)).toBe('He said "stop."');
  });

  it('does not take a decimal point or a dot inside a word for a sentence end', () => {
    expect(speakableText('Pi is 3.14159 and e is 2.71828 roughly', 12)).toBe('Pi is…');
    expect(speakableText('Done. Visit example.com today', 19)).toBe('Done.');
  });

  it('cuts a text without sentence ends at a word boundary, marked with an ellipsis', () => {
    expect(speakableText('alpha beta gamma delta', 14)).toBe('alpha beta…');
    expect(speakableText('a'.repeat(10), 5)).toBe('aaaa…');
  });

  it('counts characters, not UTF-16 units, and never splits an emoji', () => {
    const result = speakableText('🙂🙂🙂 ok. 🙂🙂🙂🙂🙂🙂', 8);
    expect(result).toBe('🙂🙂🙂 ok.');
    expect([...speakableText('🙂'.repeat(10), 4)]).toHaveLength(4);
  });

  it('recognises CJK sentence ends', () => {
    expect(speakableText('你好。今天天气很好，我们出去走走吧', 8)).toBe('你好。');
  });
});

describe('withoutMarkdown', () => {
  it('drops the markup a voice would read aloud and keeps the words', () => {
    const reply = [
      '## Opening hours',
      'We are open **every day** from `9:00`, see [our site](https://example.com).',
      '- Monday: 9–17',
      '> Closed on holidays',
      '```text',
      'code',
      '```',
    ].join('\n');
    expect(withoutMarkdown(reply)).toBe(
      'Opening hours\nWe are open every day from 9:00, see our site.\nMonday: 9–17\nClosed on holidays\ncode\n',
    );
  });

  it('leaves snake_case, lone asterisks and arithmetic alone', () => {
    expect(withoutMarkdown('Use user_id, 2 * 3 = 6 and 5 - 1.')).toBe('Use user_id, 2 * 3 = 6 and 5 - 1.');
  });

  it('is applied before speaking', () => {
    expect(speakableText('**Yes!** See [docs](https://x.test).')).toBe('Yes! See docs.');
  });
});
