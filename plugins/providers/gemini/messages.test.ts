import { describe, expect, it } from 'vitest';
import type { ChatMessage, ToolCall } from '../../sdk/index.ts';
import { SKIP_THOUGHT_SIGNATURE, toGeminiPrompt } from './messages.ts';

const call = (id: string, name: string, args: string): ToolCall => ({ id, name, arguments: args });
const weather = call('gemini-call-r1-0', 'get_weather', '{"city":"Paris"}');
const time = call('gemini-call-r1-1', 'get_time', '{"zone":"CET"}');

describe('messages → Gemini contents', () => {
  it('maps user to user and assistant to model, in order', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'Bye' },
    ];
    expect(toGeminiPrompt({ model: 'gemini-2.5-flash', messages })).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'Bye' }] },
      ],
    });
  });

  it('moves the system prompt and system messages into systemInstruction', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hi' },
    ];
    const prompt = toGeminiPrompt({ model: 'gemini-2.5-flash', system: 'Be kind.', messages });
    expect(prompt.systemInstruction).toEqual({ parts: [{ text: 'Be kind.\n\nAnswer in French.' }] });
    expect(prompt.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
  });

  it('folds the system prompt into the first user turn for Gemma, which refuses systemInstruction', () => {
    const prompt = toGeminiPrompt({
      model: 'gemma-3-27b-it',
      system: 'Be kind.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(prompt.systemInstruction).toBeUndefined();
    expect(prompt.contents).toEqual([{ role: 'user', parts: [{ text: 'Be kind.\n\n' }, { text: 'Hi' }] }]);
  });

  it('maps tool calls to functionCall parts after the text, with the Gemini 3 signature placeholder', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather and time?' },
      { role: 'assistant', content: 'Checking.', toolCalls: [weather, time] },
    ];
    expect(toGeminiPrompt({ model: 'gemini-3-pro-preview', messages }).contents[1]).toEqual({
      role: 'model',
      parts: [
        { text: 'Checking.' },
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
        { functionCall: { name: 'get_time', args: { zone: 'CET' } }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
      ],
    });
  });

  it('sends no signature placeholder to Gemini 2.x, and keeps ids the API gave', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: '', toolCalls: [call('fc_abc', 'get_weather', '{"city":"Oslo"}')] },
      { role: 'tool', toolCallId: 'fc_abc', content: 'sunny' },
    ];
    expect(toGeminiPrompt({ model: 'gemini-2.5-flash', messages }).contents.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' }, id: 'fc_abc' } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_weather', response: { output: 'sunny' }, id: 'fc_abc' } }],
      },
    ]);
  });

  it('puts consecutive tool results in one user turn, named after their calls, JSON parsed', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Both please' },
      { role: 'assistant', content: '', toolCalls: [weather, time] },
      { role: 'tool', toolCallId: time.id, content: '"12:00"' },
      { role: 'tool', toolCallId: weather.id, content: '{"temperature":21}' },
      { role: 'user', content: 'Thanks' },
    ];
    const contents = toGeminiPrompt({ model: 'gemini-2.5-flash', messages }).contents;
    expect(contents.slice(2)).toEqual([
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_time', response: { output: '12:00' } } },
          { functionResponse: { name: 'get_weather', response: { output: { temperature: 21 } } } },
        ],
      },
      { role: 'user', parts: [{ text: 'Thanks' }] },
    ]);
  });

  it('keeps a tool result whose call was trimmed from the history as plain text', () => {
    const messages: ChatMessage[] = [
      { role: 'tool', toolCallId: 'gone', content: '42' },
      { role: 'user', content: 'So?' },
    ];
    expect(toGeminiPrompt({ model: 'gemini-2.5-flash', messages }).contents).toEqual([
      { role: 'user', parts: [{ text: 'Tool result: 42' }] },
      { role: 'user', parts: [{ text: 'So?' }] },
    ]);
  });

  it('drops empty turns, which the API refuses, and sends non-object arguments as {}', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: '  ' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'Go' },
      { role: 'assistant', content: '', toolCalls: [call('fc_1', 'act', 'not json'), call('fc_2', 'act', '[1]')] },
    ];
    expect(toGeminiPrompt({ model: 'gemini-2.0-flash', messages }).contents).toEqual([
      { role: 'user', parts: [{ text: 'Go' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'act', args: {}, id: 'fc_1' } },
          { functionCall: { name: 'act', args: {}, id: 'fc_2' } },
        ],
      },
    ]);
  });

  it('declares tools as function declarations with their JSON Schema, and none when there are none', () => {
    const parameters = { type: 'object', properties: { q: { type: 'string' } } };
    const messages: ChatMessage[] = [{ role: 'user', content: 'Hi' }];
    const prompt = toGeminiPrompt({
      model: 'gemini-2.5-flash',
      messages,
      tools: [{ name: 'search', description: 'Search.', parameters }],
    });
    expect(prompt.tools).toEqual([
      { functionDeclarations: [{ name: 'search', description: 'Search.', parametersJsonSchema: parameters }] },
    ]);
    expect(toGeminiPrompt({ model: 'gemini-2.5-flash', messages, tools: [] }).tools).toBeUndefined();
  });
});

describe('messages → Gemini contents: images', () => {
  const png = { mimeType: 'image/png', data: 'iVBORw0KGgo=' };

  it('puts inlineData parts before the text of the user turn', () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'What is this?', images: [png] }];
    expect(toGeminiPrompt({ model: 'gemini-2.5-flash', messages }).contents).toEqual([
      { role: 'user', parts: [{ inlineData: png }, { text: 'What is this?' }] },
    ]);
  });

  it('keeps an image-only message, and turns a GIF (not a Gemini type) into a note', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: ' ', images: [png, { mimeType: 'image/gif', data: 'R0lGODlh' }] },
    ];
    expect(toGeminiPrompt({ model: 'gemini-2.5-flash', messages }).contents).toEqual([
      { role: 'user', parts: [{ inlineData: png }, { text: '[image omitted: image/gif is not supported]' }] },
    ]);
  });
});
