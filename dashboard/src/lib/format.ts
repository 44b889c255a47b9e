/** Display helpers shared by the views. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const number = new Intl.NumberFormat();

export const formatDateTime = (iso: string | number | null | undefined) =>
  iso === null || iso === undefined ? '—' : dateTime.format(new Date(iso));
export const formatDay = (iso: string) => day.format(new Date(`${iso}T00:00:00`));
export const formatNumber = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : number.format(value);

/** "3 min ago" for recent times, "in 7 days" for near future ones, the date otherwise. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  // A future moment (an invitation's or a key's expiry) counts down rather than reading "just now".
  if (seconds < -60) return formatAhead(-seconds, iso);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return dateTime.format(new Date(iso));
}

function formatAhead(seconds: number, iso: string): string {
  if (seconds < 3600) return `in ${Math.ceil(seconds / 60)} min`;
  if (seconds < 86_400) return `in ${Math.round(seconds / 3600)} h`;
  // Up to a month "in 7 days" reads better than a date; further out, the date.
  if (seconds < 30 * 86_400) return `in ${Math.round(seconds / 86_400)} days`;
  return dateTime.format(new Date(iso));
}

/** YYYY-MM-DD of a Date in UTC, the form the API's date filters take. */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

const units = ['bytes', 'KB', 'MB', 'GB'] as const;

/** 1,536 → "1.5 KB": sizes in the units people read (powers of 1,024, like the upload limit). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
