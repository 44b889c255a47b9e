import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../sdk/index.ts';
import { toAnthropicPrompt } from './messages.ts';

const call = { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' };

describe('toAnthropicPrompt', () => {
  it('keeps a plain conversation as alternating turns with string content', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'How are you?' },
    ];
    expect(toAnthropicPrompt(undefined, messages)).toEqual({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'How are you?' },
      ],
    });
  });

  it('moves the system prompt and any system messages to the top-level system field', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: '  ' },
    ];
    expect(toAnthropicPrompt('  Be brief.  ', messages)).toEqual({
      system: 'Be brief.\n\nAnswer in French.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  it('leaves system out when there is no system text', () => {
    expect(toAnthropicPrompt('   ', [{ role: 'user', content: 'Hi' }])).not.toHaveProperty('system');
  });

  it('turns an assistant tool request into text and tool_use blocks with parsed input', () => {
    const prompt = toAnthropicPrompt(undefined, [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: 'Checking.', toolCalls: [call] },
    ]);
    expect(prompt.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    });
  });

  it('sends a tool request with no text as tool_use blocks only', () => {
    const prompt = toAnthropicPrompt(undefined, [{ role: 'assistant', content: '', toolCalls: [call] }]);
    expect(prompt.messages).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
      },
    ]);
  });

  it('puts consecutive tool results, then any user text, into one user turn, results first', () => {
    const second = { id: 'toolu_2', name: 'get_time', arguments: '{}' };
    const prompt = toAnthropicPrompt(undefined, [
      { role: 'user', content: 'Weather and time?' },
      { role: 'assistant', content: '', toolCalls: [call, second] },
      { role: 'tool', content: 'Sunny', toolCallId: 'toolu_1' },
      { role: 'tool', content: '14:05', toolCallId: 'toolu_2' },
      { role: 'user', content: 'Thanks!' },
    ]);
    expect(prompt.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(prompt.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: '14:05' },
        { type: 'text', text: 'Thanks!' },
      ],
    });
  });

  it('merges two user messages in a row into one turn of text blocks', () => {
    const prompt = toAnthropicPrompt(undefined, [
      { role: 'user', content: 'First.' },
      { role: 'user', content: 'Second.' },
    ]);
    expect(prompt.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'First.' },
          { type: 'text', text: 'Second.' },
        ],
      },
    ]);
  });

  it('sends a tool result with no call id as user text', () => {
    const prompt = toAnthropicPrompt(undefined, [{ role: 'tool', content: 'orphan output' }]);
    expect(prompt.messages).toEqual([{ role: 'user', content: 'orphan output' }]);
  });

  it('drops empty messages, which the API would reject', () => {
    const prompt = toAnthropicPrompt(undefined, [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '' },
      { role: 'user', content: '' },
    ]);
    expect(prompt.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('sends {} for tool arguments that are not a JSON object', () => {
    const calls = ['{"city":', '[1,2]', '"text"', ''].map((args, index) => ({
      ...call,
      id: `t${index}`,
      arguments: args,
    }));
    const prompt = toAnthropicPrompt(undefined, [{ role: 'assistant', content: '', toolCalls: calls }]);
    const content = prompt.messages[0]?.content;
    expect(Array.isArray(content) && content.map((block) => ('input' in block ? block.input : undefined))).toEqual([
      {},
      {},
      {},
      {},
    ]);
  });

  it('maps tool specs to tools with an object input_schema', () => {
    const tools = [
      { name: 'lookup', description: 'Finds things', parameters: { properties: { q: { type: 'string' } } } },
    ];
    expect(toAnthropicPrompt(undefined, [{ role: 'user', content: 'Hi' }], tools).tools).toEqual([
      {
        name: 'lookup',
        description: 'Finds things',
        input_schema: { type: 'object', properties: { q: { type: 'string' } } },
      },
    ]);
  });

  it('leaves tools out when none are offered', () => {
    expect(toAnthropicPrompt(undefined, [{ role: 'user', content: 'Hi' }], [])).not.toHaveProperty('tools');
  });
});

describe('toAnthropicPrompt: images', () => {
  const png = { mimeType: 'image/png', data: 'iVBORw0KGgo=' };
  const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } };

  it('puts base64 image blocks before the text of the user turn', () => {
    const prompt = toAnthropicPrompt(undefined, [{ role: 'user', content: 'What is this?', images: [png] }]);
    expect(prompt.messages).toEqual([{ role: 'user', content: [image, { type: 'text', text: 'What is this?' }] }]);
  });

  it('keeps an image-only message, and images after tool results in the same user turn', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', toolCallId: call.id, content: 'Sunny' },
      { role: 'user', content: '', images: [png] },
    ];
    expect(toAnthropicPrompt(undefined, messages).messages.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny' }, image],
    });
  });

  it('sends a note instead of an image type the API would refuse', () => {
    const prompt = toAnthropicPrompt(undefined, [
      { role: 'user', content: 'Look', images: [{ mimeType: 'image/heic', data: 'AAAA' }] },
    ]);
    expect(prompt.messages[0]?.content).toEqual([
      { type: 'text', text: '[image omitted: image/heic is not supported]' },
      { type: 'text', text: 'Look' },
    ]);
  });
});
