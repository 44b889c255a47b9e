import { describe, expect, it } from 'vitest';
import { CONTRACT_PNG } from '../../sdk/contracts/provider.contract.ts';
import type { ImagePart } from '../../sdk/index.ts';
import { runChat, testContext, textOf, unique } from './testing.ts';

const gif: ImagePart = { mimeType: 'image/gif', data: 'R0lGODlhAQABAAAAADs=' };

describe('gemini chat: images', () => {
  it('sends inlineData parts before the text part, and the model sees them', async () => {
    const ctx = testContext();
    const question = unique('what is this');
    const { events, error } = await runChat(ctx, {
      model: 'fake-echo',
      messages: [{ role: 'user', content: question, images: [CONTRACT_PNG] }],
    });
    expect(error).toBeUndefined();
    const body = ctx.sent[0]?.body as { contents: unknown[] };
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: CONTRACT_PNG.data } }, { text: question }] },
    ]);
    expect(textOf(events)).toBe(`I see 1 image (image/png). ${question}`);
  });

  it('turns a GIF, which Gemini does not accept, into a note instead of a refused request', async () => {
    const ctx = testContext();
    const question = unique('and this');
    const { events, error } = await runChat(ctx, {
      model: 'fake-echo',
      messages: [{ role: 'user', content: question, images: [gif, CONTRACT_PNG] }],
    });
    expect(error).toBeUndefined();
    const body = ctx.sent[0]?.body as { contents: { parts: unknown[] }[] };
    expect(body.contents[0]?.parts[0]).toEqual({ text: '[image omitted: image/gif is not supported]' });
    expect(textOf(events)).toContain('I see 1 image (image/png).');
  });

  it('fails with the API error when an image is not what its type says (the fake checks the bytes)', async () => {
    const { error } = await runChat(testContext({ settings: { maxRetries: 0 } }), {
      model: 'fake-echo',
      messages: [
        { role: 'user', content: unique('bad'), images: [{ mimeType: 'image/jpeg', data: CONTRACT_PNG.data }] },
      ],
    });
    expect(String(error)).toMatch(/image data is image\/png, not the declared image\/jpeg/);
  });
});
