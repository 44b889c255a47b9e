import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { database } from '../db/client.ts';
import { builtinToolSource } from './builtin-source.ts';
import { hostToolIssues, toolReferences } from './checks.ts';
import { isHostToolId } from './sources.ts';

describe('host-built tool references', () => {
  it('names each unknown built-in set where the definition lists it, and passes plugin ids to the plugin checks', async () => {
    const references = toolReferences(['clock', 'builtin:reminders', 'builtin:nope', 'builtin:nope'], 'n.0');
    const issues = await hostToolIssues(database(env.DB), 'team_x', references);
    expect(issues).toEqual([
      { field: 'n.0.tools.2', message: 'built-in tool set "builtin:nope" does not exist' },
      { field: 'n.0.tools.3', message: 'built-in tool set "builtin:nope" does not exist' },
    ]);
    expect(isHostToolId('clock')).toBe(false);
    expect(isHostToolId('builtin:reminders')).toBe(true);
  });

  it('lists every built-in set with its functions and schemas, without touching a binding', async () => {
    const entries = await builtinToolSource.list(database(env.DB), 'team_x');
    const reminders = entries.find((entry) => entry.id === 'builtin:reminders');
    expect(reminders?.kind).toBe('builtin');
    expect(reminders?.functions.map((fn) => fn.name)).toEqual(
      expect.arrayContaining(['create_reminder', 'list_reminders', 'move_reminder', 'cancel_reminder']),
    );
    for (const fn of reminders?.functions ?? []) expect(fn.parameters.type).toBe('object');
  });
});
