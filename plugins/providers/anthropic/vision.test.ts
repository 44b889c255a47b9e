import { describe, expect, it } from 'vitest';
import { CONTRACT_PNG } from '../../sdk/contracts/provider.contract.ts';
import type { ImagePart } from '../../sdk/index.ts';
import { fakeContext, run, text, uniqueQuestion } from './testing.ts';

const gif: ImagePart = { mimeType: 'image/gif', data: 'R0lGODlhAQABAAAAADs=' };

describe('anthropic chat: images', () => {
  it('sends base64 image blocks before the text block, and the model sees them', async () => {
    const ctx = fakeContext();
    const question = uniqueQuestion('Which one is animated?');
    const { events, error } = await run(ctx, {
      messages: [{ role: 'user', content: question, images: [CONTRACT_PNG, gif] }],
    });
    expect(error).toBeUndefined();
    expect(ctx.sent[0]?.body?.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: CONTRACT_PNG.data } },
          { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: gif.data } },
          { type: 'text', text: question },
        ],
      },
    ]);
    expect(text(events)).toBe(`I see 2 images (image/png, image/gif). ${question}`);
  });

  it('fails with the API error when an image is not what its media type says (the fake checks the bytes)', async () => {
    const ctx = fakeContext({ maxRetries: 0 });
    const { error } = await run(ctx, {
      messages: [{ role: 'user', content: uniqueQuestion('mislabelled'), images: [{ ...gif, mimeType: 'image/png' }] }],
    });
    expect(String(error)).toMatch(/image data is image\/gif, not the declared image\/png/);
  });
});
