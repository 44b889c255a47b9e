import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../sdk/index.ts';
import { toOpenAIMessages, toOpenAITools } from './messages.ts';
import { toCompletionParams } from './request.ts';

describe('toOpenAIMessages', () => {
  it('puts the system prompt first and keeps the turn order and roles', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'system', content: 'Mid-conversation note' },
      { role: 'user', content: 'Bye' },
    ];
    expect(toOpenAIMessages('Be kind.', messages)).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'system', content: 'Mid-conversation note' },
      { role: 'user', content: 'Bye' },
    ]);
  });

  it('leaves out a missing or blank system prompt', () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'Hi' }];
    expect(toOpenAIMessages(undefined, messages)).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(toOpenAIMessages('  ', messages)).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('maps tool requests to tool_calls with null content, and results to tool messages', () => {
    const messages: ChatMessage[] = [
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'call_2', name: 'get_time', arguments: '{}' },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', content: 'Sunny' },
      { role: 'tool', toolCallId: 'call_2', content: '12:00' },
    ];
    expect(toOpenAIMessages(undefined, messages)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
    ]);
  });

  it('keeps the text an assistant wrote alongside its tool calls', () => {
    const message: ChatMessage = {
      role: 'assistant',
      content: 'Let me check.',
      toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }],
    };
    expect(toOpenAIMessages(undefined, [message])[0]).toMatchObject({ content: 'Let me check.' });
  });

  it('sends an assistant message with an empty tool call list as plain text', () => {
    expect(toOpenAIMessages(undefined, [{ role: 'assistant', content: 'ok', toolCalls: [] }])).toEqual([
      { role: 'assistant', content: 'ok' },
    ]);
  });

  it('refuses a tool result that names no call, naming its position', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'x' },
      { role: 'tool', content: 'orphan' },
    ];
    expect(() => toOpenAIMessages(undefined, messages)).toThrow('Tool message 1 has no toolCallId');
  });
});

describe('toOpenAITools', () => {
  it('wraps each tool as a function tool with its JSON Schema', () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    expect(toOpenAITools([{ name: 'get_weather', description: 'Forecast', parameters }])).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Forecast', parameters } },
    ]);
  });
});

describe('toCompletionParams', () => {
  const base = { messages: [{ role: 'user' as const, content: 'Hi' }], parameters: { maxTokens: 10 } };

  it('uses max_completion_tokens on api.openai.com and max_tokens on compatible servers', () => {
    const official = toCompletionParams({ ...base, model: 'gpt-4o-mini' }, 'https://api.openai.com/v1');
    expect(official).toMatchObject({ max_completion_tokens: 10 });
    expect(official).not.toHaveProperty('max_tokens');
    const ollama = toCompletionParams({ ...base, model: 'llama3.2' }, 'http://localhost:11434/v1');
    expect(ollama).toMatchObject({ max_tokens: 10 });
    expect(ollama).not.toHaveProperty('max_completion_tokens');
  });

  it('uses max_completion_tokens for reasoning models on any server (Azure deployments of o-series)', () => {
    const azure = toCompletionParams({ ...base, model: 'o4-mini' }, 'https://example.openai.azure.com/openai/v1');
    expect(azure).toMatchObject({ max_completion_tokens: 10 });
    expect(azure).not.toHaveProperty('max_tokens');
  });

  it('maps reasoning effort and leaves out parameters that were not given', () => {
    const params = toCompletionParams(
      { model: 'o3-mini', messages: base.messages, parameters: { reasoningEffort: 'high' } },
      'https://api.openai.com/v1',
    );
    expect(params).toEqual({
      model: 'o3-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
      reasoning_effort: 'high',
    });
  });

  it('sends no tools key when there are no tools', () => {
    expect(toCompletionParams({ ...base, model: 'gpt-4o', tools: [] }, 'https://api.openai.com/v1')).not.toHaveProperty(
      'tools',
    );
  });
});

describe('toOpenAIMessages: images', () => {
  const png = { mimeType: 'image/png', data: 'iVBORw0KGgo=' };

  it('turns a user message with images into a text part followed by data-URL image parts', () => {
    expect(toOpenAIMessages(undefined, [{ role: 'user', content: 'What is this?', images: [png] }])).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ]);
  });

  it('sends no empty text part for an image-only message, and plain text for an empty image list', () => {
    expect(toOpenAIMessages(undefined, [{ role: 'user', content: '', images: [png] }])[0]).toEqual({
      role: 'user',
      content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }],
    });
    expect(toOpenAIMessages(undefined, [{ role: 'user', content: 'Hi', images: [] }])[0]).toEqual({
      role: 'user',
      content: 'Hi',
    });
  });
});

describe('toOpenAIMessages: models without image input', () => {
  const png = { mimeType: 'image/png', data: 'iVBORw0KGgo=' };

  it('sends a note instead of the image to OpenAI models that refuse images', () => {
    for (const model of ['o3-mini', 'o3-mini-2025-01-31', 'gpt-3.5-turbo', 'gpt-4', 'openai/o1-mini']) {
      expect(
        toOpenAIMessages(undefined, [{ role: 'user', content: 'What is this?', images: [png] }], model),
        model,
      ).toEqual([{ role: 'user', content: 'What is this?\n[image omitted: this model does not accept image/png]' }]);
    }
  });

  it('sends images to vision models and to models it does not know (a compatible server decides)', () => {
    for (const model of ['gpt-4o-mini', 'gpt-4-turbo', 'gpt-4.1', 'o3', 'gpt-5', 'llava:13b']) {
      const [message] = toOpenAIMessages(undefined, [{ role: 'user', content: 'x', images: [png] }], model);
      expect(Array.isArray(message?.content), model).toBe(true);
    }
  });
});
