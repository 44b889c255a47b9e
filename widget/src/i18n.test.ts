import { describe, expect, it } from 'vitest';
import { contrast, inkOn } from './contrast';
import { addLocale, locales, pickLocale, strings } from './i18n';
import { translations } from './locales';

describe('i18n', () => {
  it('picks the first supported language, matching on the base tag', () => {
    expect(pickLocale([undefined, null, 'pt-BR', 'fr'])).toBe('pt');
    expect(pickLocale(['ja-JP', 'de_AT'])).toBe('de');
    expect(pickLocale(['ja', 'zh'])).toBe('en');
    expect(pickLocale(['ES'])).toBe('es');
  });

  it('has every key in every translation and applies overrides', () => {
    const en = strings('en');
    expect(Object.keys(translations).sort()).toEqual(locales.filter((l) => l !== 'en').sort());
    for (const [code, line] of Object.entries(translations)) {
      expect(line.split('|')).toHaveLength(Object.keys(en).length);
      addLocale(code, line);
    }
    expect(strings('fr').send).toBe('Envoyer');
    expect(strings('de', { send: 'Los' }).send).toBe('Los');
    expect(strings('xx').send).toBe('Send');
  });
});

describe('contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrast('#000', '#fff')).toBeCloseTo(21, 1);
    expect(contrast('#4f46e5', '#fff')).toBeGreaterThan(4.5);
  });

  it('always picks an ink with at least 4.5:1 on any accent colour', () => {
    for (let i = 0; i < 4096; i++) {
      const hex = `#${i.toString(16).padStart(3, '0')}`;
      expect(contrast(hex, inkOn(hex))).toBeGreaterThanOrEqual(4.5);
    }
  });
});
