import { describe, expect, it } from 'vitest';
import { MAX_DATA_BYTES, parseDataJson } from './data-json';

describe('parseDataJson', () => {
  it('accepts a JSON object (and empty text as {})', () => {
    expect(parseDataJson('{"plan": "pro", "visits": 3}')).toEqual({ ok: true, value: { plan: 'pro', visits: 3 } });
    expect(parseDataJson('  ')).toEqual({ ok: true, value: {} });
  });

  it('refuses text that is not JSON, JSON that is not an object, and data past the cap', () => {
    const broken = parseDataJson('{"plan": ');
    expect(broken.ok).toBe(false);
    expect(broken.ok ? '' : broken.message).toMatch(/^Not valid JSON/);
    for (const text of ['[1, 2]', '"text"', '42', 'null']) {
      const parsed = parseDataJson(text);
      expect(parsed.ok ? '' : parsed.message, text).toMatch(/must be a JSON object/);
    }
    const big = parseDataJson(JSON.stringify({ blob: 'x'.repeat(MAX_DATA_BYTES) }));
    expect(big.ok ? '' : big.message).toMatch(/at most 262144/);
  });
});
