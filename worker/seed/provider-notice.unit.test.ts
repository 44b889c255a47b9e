import { describe, expect, it } from 'vitest';
import { providerNotice } from './provider-notice.ts';

describe('providerNotice (what npm start says about the demo chatbot’s provider)', () => {
  it('says nothing when the demo chatbot already uses a real provider', () => {
    expect(providerNotice('openai', { OPENAI_API_KEY: 'sk-x' })).toBeNull();
  });

  it('tells exactly what to do with a key added to .dev.vars after the seed, naming it', () => {
    const notice = providerNotice('offline', { ENCRYPTION_KEY: 'k', ANTHROPIC_API_KEY: 'sk-ant-1' }) ?? '';
    expect(notice).toContain('ANTHROPIC_API_KEY is in .dev.vars');
    expect(notice).toContain('npm run reset && npm start');
    expect(notice).toContain('Credentials → anthropic');
    expect(notice).not.toMatch(/\brestart\b/);
  });

  it('explains both ways when there is no key at all', () => {
    const notice = providerNotice('offline', { ENCRYPTION_KEY: 'k', OPENAI_API_KEY: '  ' }) ?? '';
    expect(notice).toContain('npm run reset && npm start');
    expect(notice).toContain('Credentials');
  });
});
