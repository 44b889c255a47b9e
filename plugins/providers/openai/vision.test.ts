import { describe, expect, it } from 'vitest';
import { CONTRACT_PNG } from '../../sdk/contracts/provider.contract.ts';
import type { ChatMessage, ImagePart } from '../../sdk/index.ts';
import { runChat, textOf } from './testing.ts';

const jpeg: ImagePart = { mimeType: 'image/jpeg', data: '/9j/4AAQSkZJRgABAQAA' };

describe('openai chat: images', () => {
  it('sends images as base64 data-URL image_url parts after the text, and the model sees them', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'Compare these two', images: [CONTRACT_PNG, jpeg] }];
    const { events, error, sent } = await runChat({ messages });
    expect(error).toBeUndefined();
    expect(sent[0]?.body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these two' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${CONTRACT_PNG.data}` } },
          { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${jpeg.data}` } },
        ],
      },
    ]);
    expect(textOf(events)).toBe('I see 2 images (image/png, image/jpeg). Compare these two');
  });

  it('keeps images of earlier user messages in the history', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Here is my receipt', images: [CONTRACT_PNG] },
      { role: 'assistant', content: 'Got it.' },
      { role: 'user', content: 'What was the total?' },
    ];
    const { events, error } = await runChat({ messages });
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('I see 1 image (image/png). What was the total?');
  });

  it('fails with the API error when an image is not what its type says (the fake checks the bytes)', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Look', images: [{ mimeType: 'image/png', data: jpeg.data }] },
    ];
    const { events, error } = await runChat({ messages });
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([]);
    expect(String(error)).toMatch(/400.*unsupported image/);
  });
});
