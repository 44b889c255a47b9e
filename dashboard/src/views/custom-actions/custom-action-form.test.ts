import { describe, expect, it } from 'vitest';
import { authFromDraft, describeAuth, draftFrom } from './AuthFields';
import { specProblems } from './api';
import { specOf } from './SpecSource';

describe('custom action form helpers', () => {
  it('builds each auth kind from the draft, and never fills a secret from saved auth', () => {
    const saved = draftFrom({ kind: 'api_key', in: 'query', name: 'key', configured: true });
    expect(saved).toMatchObject({ kind: 'api_key', in: 'query', name: 'key', value: '' });
    expect(authFromDraft({ ...saved, value: 's3cret' })).toEqual({
      kind: 'api_key',
      in: 'query',
      name: 'key',
      value: 's3cret',
    });
    const draft = draftFrom(null);
    expect(authFromDraft(draft)).toEqual({ kind: 'none' });
    expect(authFromDraft({ ...draft, kind: 'bearer', token: 't' })).toEqual({ kind: 'bearer', token: 't' });
    expect(authFromDraft({ ...draft, kind: 'basic', username: ' ada ', password: 'p' })).toEqual({
      kind: 'basic',
      username: 'ada',
      password: 'p',
    });
    expect(
      authFromDraft({
        ...draft,
        kind: 'oauth2_client_credentials',
        tokenUrl: 'https://a.example/token',
        clientId: 'c',
        clientSecret: 's',
        scopes: 'read, write  admin',
      }),
    ).toEqual({
      kind: 'oauth2_client_credentials',
      tokenUrl: 'https://a.example/token',
      clientId: 'c',
      clientSecret: 's',
      scopes: ['read', 'write', 'admin'],
    });
  });

  it('describes saved auth without secrets', () => {
    expect(describeAuth({ kind: 'api_key', in: 'header', name: 'X-API-Key', configured: true })).toBe(
      'API key in header X-API-Key',
    );
    expect(describeAuth({ kind: 'bearer', configured: true })).toBe('Bearer token');
  });

  it('sends a pasted or uploaded spec as text and a URL as url; nothing when empty', () => {
    expect(specOf('text', 'openapi: 3.1.0', '')).toEqual({ source: 'text', text: 'openapi: 3.1.0' });
    expect(specOf('upload', '{"openapi":"3.0.0"}', '')).toEqual({ source: 'text', text: '{"openapi":"3.0.0"}' });
    expect(specOf('url', '', ' https://a.example/openapi.json ')).toEqual({
      source: 'url',
      url: 'https://a.example/openapi.json',
    });
    expect(specOf('text', '  ', '')).toBeNull();
  });

  it('reads spec problems from a 400’s details', () => {
    expect(
      specProblems([
        { field: 'body.spec.text', path: 'info', message: 'does not have required property "version"' },
        'x',
      ]),
    ).toEqual([{ path: 'info', message: 'does not have required property "version"' }]);
    expect(specProblems(null)).toEqual([]);
  });
});
