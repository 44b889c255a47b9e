import { describe, expect, it } from 'vitest';
import { installed, registry } from './registry.ts';
import { kinds } from './sdk/kinds/index.ts';
import { createRegistry } from './sdk/registry.ts';
import { type NotifierPlugin, notifierKind, pagerNotifier } from './sdk/testing/notifier-kind.ts';

describe('the plugin registry', () => {
  it('indexes and publishes a kind declared in one file, next to the installed ones', () => {
    const withNotifiers = createRegistry([...kinds, notifierKind], [...installed, pagerNotifier]);
    expect([...withNotifiers.ofKind('notifier').keys()]).toEqual(['pager']);
    expect(withNotifiers.get('pager')?.kind).toBe('notifier');
    expect(withNotifiers.kind('notifier')?.configs).toBe('single');
    const entry = withNotifiers.catalog().find((plugin) => plugin.id === 'pager');
    expect(entry).toMatchObject({ kind: 'notifier', capabilities: { maxLength: 160 }, secrets: ['token'] });
    expect(entry?.settingsSchema).toMatchObject({
      properties: { token: { title: 'Token', writeOnly: true, format: 'password' } },
    });
    // The kinds already there are untouched.
    expect([...withNotifiers.of('tool').keys()]).toEqual([...registry.of('tool').keys()]);
  });

  it('refuses a plugin of an undeclared kind, a duplicate id across kinds, and what its kind checks', () => {
    expect(() => createRegistry(kinds, [pagerNotifier])).toThrow(/kind "notifier", which no kind declares/);
    expect(() => createRegistry([...kinds, notifierKind], [...installed, { ...pagerNotifier, id: 'clock' }])).toThrow(
      'Two plugins share the id "clock" (a tool and a notifier)',
    );
    const empty: NotifierPlugin = { ...pagerNotifier, maxLength: 0 };
    expect(() => createRegistry([notifierKind], [empty])).toThrow(/at least one/);
    expect(() => createRegistry([notifierKind], [{ ...pagerNotifier, version: 'one' }])).toThrow(/not semver/);
  });

  it('describes every installed plugin through its kind, and every kind is declared once', () => {
    expect(new Set(kinds.map((definition) => definition.kind)).size).toBe(kinds.length);
    const catalog = registry.catalog();
    expect(catalog.map((plugin) => plugin.id)).toEqual(installed.map((plugin) => plugin.id));
    for (const entry of catalog) expect(kinds.map((definition) => definition.kind)).toContain(entry.kind);
    expect(catalog.find((plugin) => plugin.id === 'clock')?.capabilities).toEqual({
      functions: [{ name: 'current_time', description: expect.any(String) }],
    });
  });
});
