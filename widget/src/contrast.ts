/** WCAG 2 relative luminance and contrast ratio of #rgb / #rrggbb colours. */
export function luminance(hex: string): number {
  let c = hex.replace('#', '');
  if (c.length === 3) c = c.replace(/./g, '$&$&');
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = Number.parseInt(c.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/**
 * White or black text on `background` (the chatbot's primary colour). Both give the same contrast at L ≈ 0.179
 * (4.58:1), so the better of the two always passes WCAG AA (≥ 4.5:1) for normal text.
 */
export function inkOn(background: string): string {
  return luminance(background) > 0.179 ? '#000' : '#fff';
}

export const isHex = (value: unknown): value is string =>
  typeof value === 'string' && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value);

/** The accent until the chatbot's settings arrive (and when they name no valid colour). */
export const DEFAULT_ACCENT = '#4f46e5';
