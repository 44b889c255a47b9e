/**
 * A `Retry-After` header as milliseconds to wait (RFC 9110 §10.2.3: either delay-seconds or an HTTP-date), or
 * undefined when it is absent or unreadable. `now` is the plugin's clock, so a date is measured against the same
 * time the caller will sleep on.
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
