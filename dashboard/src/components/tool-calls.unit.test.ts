import { describe, expect, it } from 'vitest';
import { pretty, toolCallsOf } from './tool-calls';

describe('tool calls of a reply', () => {
  it('reads metadata.tools, leaving out what is not a call', () => {
    const call = { id: 'c1', name: 'current_time', arguments: '{"timeZone":"UTC"}', ok: true, output: '{}' };
    const denied = { ...call, id: 'c2', ok: false, approval: { decision: 'denied', by: 'user' } };
    expect(toolCallsOf({ tools: [call, { id: 3 }, null, denied] })).toEqual([call, denied]);
    expect(toolCallsOf({ tools: 'nope' })).toEqual([]);
    expect(toolCallsOf({})).toEqual([]);
  });

  it('indents JSON and leaves other text alone', () => {
    expect(pretty('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(pretty('not json')).toBe('not json');
  });
});
