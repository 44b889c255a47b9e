import { describe, expect, it } from 'vitest';
import { type AuthFields, authToSend, parseHeaders } from './auth-input';

const empty: AuthFields = {
  kind: 'none',
  token: '',
  headers: '',
  tokenUrl: '',
  clientId: '',
  clientSecret: '',
  scopes: '',
};

describe('the MCP server form’s auth', () => {
  it('parses header lines and names a bad one', () => {
    expect(parseHeaders('x-api-key: abc\n\nx-team:  t1 ')).toEqual({ headers: { 'x-api-key': 'abc', 'x-team': 't1' } });
    expect(parseHeaders('x-api-key abc')).toEqual({ error: 'Line 1 needs the form "Name: value"' });
  });

  it('keeps stored secrets when editing with empty fields, and replaces them when typed', () => {
    const bearer = { ...empty, kind: 'bearer' as const };
    expect(authToSend(bearer, { kind: 'bearer' })).toBeUndefined();
    expect(authToSend({ ...bearer, token: 't' }, { kind: 'bearer' })).toEqual({ kind: 'bearer', token: 't' });
    expect(authToSend(bearer, { kind: 'none' })).toEqual({ error: 'Enter the token' });
    expect(authToSend(empty, { kind: 'bearer' })).toEqual({ kind: 'none' });
    expect(authToSend(empty, undefined)).toEqual({ kind: 'none' });
  });

  it('asks for the client secret again when the OAuth settings change', () => {
    const stored = {
      kind: 'oauth2_client_credentials' as const,
      tokenUrl: 'https://a/t',
      clientId: 'c',
      scopes: ['x'],
    };
    const same = { ...empty, kind: stored.kind, tokenUrl: 'https://a/t', clientId: 'c', scopes: 'x' };
    expect(authToSend(same, stored)).toBeUndefined();
    expect(authToSend({ ...same, clientId: 'd' }, stored)).toMatchObject({ error: expect.stringContaining('secret') });
    expect(authToSend({ ...same, clientSecret: 's', scopes: 'x y' }, stored)).toEqual({
      kind: 'oauth2_client_credentials',
      tokenUrl: 'https://a/t',
      clientId: 'c',
      clientSecret: 's',
      scopes: ['x', 'y'],
    });
  });

  it('keeps the OAuth sign-in unless its settings change; a secret needs its client id', () => {
    const stored = { kind: 'oauth2_authorization_code' as const, connected: true, scopes: ['x'] };
    const same = { ...empty, kind: stored.kind, scopes: 'x' };
    expect(authToSend(same, stored)).toBeUndefined();
    expect(authToSend({ ...same, scopes: '' }, stored)).toEqual({ kind: 'oauth2_authorization_code' });
    expect(authToSend({ ...same, clientSecret: 's' }, stored)).toEqual({
      error: 'A client secret needs its client ID',
    });
    expect(authToSend({ ...same, clientId: 'c', clientSecret: 's' }, { kind: 'none' })).toEqual({
      kind: 'oauth2_authorization_code',
      clientId: 'c',
      clientSecret: 's',
      scopes: ['x'],
    });
  });
});
