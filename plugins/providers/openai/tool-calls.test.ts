import { describe, expect, it } from 'vitest';
import { ToolCallAssembler } from './tool-calls.ts';

describe('ToolCallAssembler', () => {
  it('joins argument fragments per index, even when parallel calls interleave', () => {
    const calls = new ToolCallAssembler();
    calls.add([{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }]);
    calls.add([{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"ut' } }]);
    calls.add([{ index: 0, function: { arguments: '{"city":' } }]);
    calls.add([
      { index: 1, function: { arguments: 'c":true}' } },
      { index: 0, function: { arguments: '"Paris"}' } },
    ]);
    expect(calls.take()).toEqual([
      { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'call_b', name: 'get_time', arguments: '{"utc":true}' },
    ]);
  });

  it('orders calls by index whatever order they started in', () => {
    const calls = new ToolCallAssembler();
    calls.add([{ index: 1, id: 'second', function: { name: 'b', arguments: '{}' } }]);
    calls.add([{ index: 0, id: 'first', function: { name: 'a', arguments: '{}' } }]);
    expect(calls.take().map((call) => call.id)).toEqual(['first', 'second']);
  });

  it('does not double a name that a compatible server repeats in every delta', () => {
    const calls = new ToolCallAssembler();
    calls.add([{ index: 0, id: 'c', function: { name: 'lookup', arguments: '{"q":' } }]);
    calls.add([{ index: 0, id: 'c', function: { name: 'lookup', arguments: '"x"}' } }]);
    expect(calls.take()).toEqual([{ id: 'c', name: 'lookup', arguments: '{"q":"x"}' }]);
  });

  it('sends {} for a call without arguments and drops calls that never got a name', () => {
    const calls = new ToolCallAssembler();
    calls.add([
      { index: 0, id: 'c0', function: { name: 'ping' } },
      { index: 1, function: { arguments: '{}' } },
    ]);
    expect(calls.take()).toEqual([{ id: 'c0', name: 'ping', arguments: '{}' }]);
  });

  it('empties itself on take', () => {
    const calls = new ToolCallAssembler();
    calls.add([{ index: 0, id: 'c0', function: { name: 'ping', arguments: '{}' } }]);
    expect(calls.size).toBe(1);
    calls.take();
    expect(calls.size).toBe(0);
    expect(calls.take()).toEqual([]);
  });
});
