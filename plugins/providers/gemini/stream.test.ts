import { FinishReason, GenerateContentResponse } from '@google/genai';
import { describe, expect, it } from 'vitest';
import type { ChatStreamEvent } from '../../sdk/index.ts';
import { mapFinishReason, StreamMapper } from './stream.ts';

/** A chunk as the SDK yields it: its response class, filled from the wire JSON. */
const chunk = (json: Partial<GenerateContentResponse>): GenerateContentResponse =>
  Object.assign(new GenerateContentResponse(), json);

function mapAll(chunks: GenerateContentResponse[]): ChatStreamEvent[] {
  const mapper = new StreamMapper();
  const events = chunks.flatMap((chunk) => [...mapper.push(chunk)]);
  return [...events, ...mapper.end()];
}

describe('Gemini stream → events', () => {
  it('maps finish reasons', () => {
    expect(mapFinishReason('STOP', false)).toBe('stop');
    expect(mapFinishReason('STOP', true)).toBe('tool_calls');
    expect(mapFinishReason('MAX_TOKENS', true)).toBe('length');
    for (const reason of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII']) {
      expect(mapFinishReason(reason, false), reason).toBe('content_filter');
    }
    for (const reason of ['OTHER', 'MALFORMED_FUNCTION_CALL', 'LANGUAGE'])
      expect(mapFinishReason(reason, false), reason).toBe('error');
  });

  it('skips thought summaries and empty text, keeps the last running usage', () => {
    const events = mapAll([
      chunk({
        candidates: [{ content: { parts: [{ text: 'plan…', thought: true }, { text: 'Hi' }] } }],
        usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 1 },
      }),
      chunk({
        candidates: [{ content: { parts: [{ text: '' }] }, finishReason: FinishReason.STOP }],
        usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2, thoughtsTokenCount: 5 },
      }),
    ]);
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hi' },
      { type: 'usage', inputTokens: 4, outputTokens: 7 },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('keeps an id the API gave a call, and numbers made-up ones across chunks', () => {
    const events = mapAll([
      chunk({
        responseId: 'r9',
        candidates: [{ content: { parts: [{ functionCall: { name: 'a', args: { x: 1 } } }] } }],
      }),
      chunk({
        responseId: 'r9',
        candidates: [
          { content: { parts: [{ functionCall: { name: 'b', id: 'fc_7' } }] }, finishReason: FinishReason.STOP },
        ],
      }),
    ]);
    expect(events.filter((event) => event.type === 'tool-call')).toEqual([
      { type: 'tool-call', call: { id: 'gemini-call-r9-0', name: 'a', arguments: '{"x":1}' } },
      { type: 'tool-call', call: { id: 'fc_7', name: 'b', arguments: '{}' } },
    ]);
    expect(events[0]).toEqual({
      type: 'metadata',
      metadata: { provider: 'gemini', modelVersion: null, responseId: 'r9' },
    });
  });

  it('knows whether the API ended the reply', () => {
    const mapper = new StreamMapper();
    [...mapper.push(chunk({ candidates: [{ content: { parts: [{ text: 'cut' }] } }] }))];
    expect(mapper.finished).toBe(false);
    [...mapper.push(chunk({ candidates: [{ finishReason: FinishReason.STOP }] }))];
    expect(mapper.finished).toBe(true);
  });
});
