import { z } from 'zod';

export const SLUG_MAX = 60;

/**
 * Slugs are lowercase letters, digits and single dashes. No underscore: every id has one (`bot_…`), so a path
 * segment is never both a slug and an id.
 */
export const chatbotSlug = z
  .string()
  .min(1)
  .max(SLUG_MAX)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single dashes, e.g. support-bot');

/** `Support Bot (EU)!` → `support-bot-eu`; accents are dropped rather than the letters they sit on. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '');
  return slug || 'chatbot';
}

/** `base` if free, else the first free `base-2`, `base-3`, …, cut so that the suffix still fits. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
