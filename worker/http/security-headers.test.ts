import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { BASE } from '../../test/seed.ts';
import { headersFile } from './security-headers.ts';

describe('security headers', () => {
  it('sends nosniff on API answers, errors included', async () => {
    for (const path of ['/health', '/api/v1/auth/me', '/api/v1/no-such-route']) {
      const res = await SELF.fetch(`${BASE}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('gives the dashboard a strict CSP in _headers, and no rule to the embeddable widget files', () => {
    const file = headersFile();
    const rules = file.split('\n').filter((line) => line.startsWith('/'));
    expect(rules).toEqual(['/dashboard/*']);
    for (const header of [
      "Content-Security-Policy: default-src 'self'; script-src 'self'",
      "frame-ancestors 'none'",
      'X-Content-Type-Options: nosniff',
      'Referrer-Policy: no-referrer',
    ])
      expect(file).toContain(header);
    expect(file).not.toContain('unsafe-inline');
  });
});
