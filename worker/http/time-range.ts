import { z } from '@hono/zod-openapi';

export const DAY_MS = 86_400_000;

/** An ISO date (`2026-01-31`, a whole UTC day) or date-time with offset (`2026-01-31T12:00:00Z`). */
export const isoInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** Where a `from` bound starts: a date means the start of its UTC day. */
export const startOf = (value: string) => Date.parse(isDate(value) ? `${value}T00:00:00Z` : value);

/** The first excluded millisecond of a `to` bound: a date includes its whole UTC day, a date-time its instant. */
export const endOf = (value: string) =>
  isDate(value) ? Date.parse(`${value}T00:00:00Z`) + DAY_MS : Date.parse(value) + 1;

export const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
