import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, type ToolPlugin } from '../../plugins/sdk/index.ts';
import { systemClock } from '../ports/clock.ts';
import { guardPlugin } from './guard.ts';
import { redactSecrets, secretValues } from './redact.ts';

const SECRET = 'sk-live/abc+def=123:xyz';

describe('redactSecrets', () => {
  it('removes a secret as is, URL-encoded and base64-encoded', () => {
    const base64 = btoa(SECRET).replace(/=+$/, '');
    const text = `a ${SECRET} b ${encodeURIComponent(SECRET)} c ${base64} d`;
    const clean = redactSecrets(text, [SECRET]);
    expect(clean).toBe('a [redacted] b [redacted] c [redacted] d');
  });

  it('removes bearer and basic credentials, bot<token> URL segments and token query parameters', () => {
    const text =
      'GET https://api.telegram.org/bot123:AAE-x_y/getMe?access_token=EAAB123 authorization: Bearer abc.def-ghi Basic QUM6dG9r';
    expect(redactSecrets(text, [])).toBe(
      'GET https://api.telegram.org/bot[redacted]/getMe?access_token=[redacted] authorization: Bearer [redacted] Basic [redacted]',
    );
  });

  it('leaves short placeholder values alone (they would mangle ordinary words)', () => {
    expect(redactSecrets('the tax is x', ['x'])).toBe('the tax is x');
  });

  it('reads the secret values a plugin declares from its settings', () => {
    expect(secretValues(['token', 'missing'], { token: 'abc', region: 'eu' })).toEqual(['abc']);
    expect(secretValues(['token'], null)).toEqual([]);
  });
});

describe('guardPlugin', () => {
  const settings = z.object({ apiKey: z.string() });
  const tool: ToolPlugin<typeof settings> = definePlugin({
    id: 'fixture-guard',
    kind: 'tool',
    displayName: 'Fixture',
    description: 'Throws with its key in the message.',
    version: '0.0.1',
    settings,
    secrets: ['apiKey'],
    functions: [
      {
        name: 'leak',
        description: 'Throws',
        parameters: z.object({}),
        run: async (ctx) => {
          throw new TypeError(`upstream said: bad key ${ctx.settings.apiKey}`);
        },
      },
    ],
  });

  it('redacts what a hook throws, keeping the error class', async () => {
    const guarded = guardPlugin(tool);
    const ctx = { settings: { apiKey: SECRET }, fetch, clock: systemClock, signal: new AbortController().signal };
    const failure = await guarded.functions[0]?.run(ctx, {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toBe('upstream said: bad key [redacted]');
    expect((failure as Error).stack ?? '').not.toContain(SECRET);
  });
});
