import { describe, expect, it } from 'vitest';
import { chatbotSlug, firstFreeSlug, SLUG_MAX, slugify } from './slug.ts';

describe('chatbot slugs', () => {
  it.each([
    ['Support Bot', 'support-bot'],
    ['  Support   Bot (EU)! ', 'support-bot-eu'],
    ['Crème brûlée', 'creme-brulee'],
    ['日本語', 'chatbot'],
    ['---', 'chatbot'],
  ])('slugifies %j as %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(chatbotSlug.safeParse(slug).success).toBe(true);
  });

  it('keeps long names within the limit and never ends on a dash', () => {
    const slug = slugify(`${'a'.repeat(SLUG_MAX - 1)} b`);
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX);
    expect(slug.endsWith('-')).toBe(false);
  });

  it('numbers taken slugs, keeping the suffix within the limit', () => {
    expect(firstFreeSlug('bot', new Set())).toBe('bot');
    expect(firstFreeSlug('bot', new Set(['bot', 'bot-2']))).toBe('bot-3');
    const long = 'a'.repeat(SLUG_MAX);
    const next = firstFreeSlug(long, new Set([long]));
    expect(next).toBe(`${'a'.repeat(SLUG_MAX - 2)}-2`);
    expect(chatbotSlug.safeParse(next).success).toBe(true);
  });

  it('rejects ids, capitals and stray dashes as slugs', () => {
    for (const bad of ['bot_123', 'Bot', '-bot', 'bot-', 'a--b', ''])
      expect(chatbotSlug.safeParse(bad).success).toBe(false);
  });
});
