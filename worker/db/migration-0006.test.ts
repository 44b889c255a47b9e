import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { loadChannel } from '../channels/runtime.ts';
import { resolveProvider } from '../conversation/provider-settings.ts';
import { credentialSecretNames, findCredential } from '../credentials/store.ts';
import { newId } from '../ids.ts';
import { SecretBox, secretContext } from '../security/secrets.ts';
import { database } from './client.ts';

/**
 * Migration 0006 moves provider credentials and channel settings into plugin_configs. The test database is already
 * migrated, so this rebuilds the old shape (the 0000 table and columns), fills it as a deployment of 0005 would be,
 * and runs the migration's own statements from its first data move on: the rows must come out working.
 */
const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0006_'));
const fromMove = (migration?.queries ?? []).slice(
  (migration?.queries ?? []).findIndex((query) => query.includes('INSERT INTO `plugin_configs`')),
);

describe('migration 0006_plugin_configs', () => {
  it('moves credentials and channels with their ids, names and sealed secrets, which still open', async () => {
    expect(fromMove.length).toBeGreaterThanOrEqual(5);
    const demo = await seedDemo();
    const box = await SecretBox.fromBase64Url(env.ENCRYPTION_KEY);
    const now = Date.now();
    const credentialId = newId('cred', now);
    const channelId = newId('chn', now);
    await env.DB.batch([
      env.DB.prepare(`CREATE TABLE provider_credentials (id text PRIMARY KEY NOT NULL, team_id text NOT NULL,
        provider_id text NOT NULL, name text NOT NULL, settings text NOT NULL, secrets text NOT NULL,
        created_at integer NOT NULL, updated_at integer NOT NULL)`),
      env.DB.prepare("ALTER TABLE channels ADD COLUMN name text NOT NULL DEFAULT ''"),
      env.DB.prepare("ALTER TABLE channels ADD COLUMN settings text NOT NULL DEFAULT '{}'"),
      env.DB.prepare("ALTER TABLE channels ADD COLUMN secrets text NOT NULL DEFAULT ''"),
      env.DB.prepare('INSERT INTO provider_credentials VALUES (?, ?, ?, ?, ?, ?, ?, ?)').bind(
        credentialId,
        demo.teamId,
        'openai',
        'Production',
        JSON.stringify({ baseUrl: 'https://api.example.test/v1' }),
        await box.sealJson({ apiKey: 'sk-old-row' }, secretContext(demo.teamId, 'provider', credentialId)),
        now,
        now,
      ),
      env.DB.prepare(
        `INSERT INTO channels (id, team_id, chatbot_id, plugin_id, name, settings, secrets, options, enabled,
          created_at, updated_at) VALUES (?, ?, ?, 'telegram', 'Old bot', ?, ?, '{}', 1, ?, ?)`,
      ).bind(
        channelId,
        demo.teamId,
        demo.chatbotId,
        JSON.stringify({ botUsername: 'OldBot' }),
        await box.sealJson(
          { botToken: '123456:old-token', webhookSecret: 'old-webhook-secret-0123456789' },
          secretContext(demo.teamId, 'channel', channelId),
        ),
        now,
        now,
      ),
    ]);

    for (const query of fromMove) await env.DB.prepare(query).run();

    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE name = 'provider_credentials'").all();
    expect(tables.results).toEqual([]);
    const db = database(env.DB);
    const credential = await findCredential(db, demo.teamId, credentialId);
    expect(credential).toMatchObject({ providerId: 'openai', name: 'Production' });
    expect(await credentialSecretNames(env, credential)).toEqual(['apiKey']);
    const resolved = await resolveProvider(env, demo.teamId, { providerId: 'openai', credentialId });
    expect(resolved.settings).toMatchObject({ apiKey: 'sk-old-row', baseUrl: 'https://api.example.test/v1' });
    const channel = await loadChannel(env, channelId);
    expect(channel?.settings).toMatchObject({ botToken: '123456:old-token', botUsername: 'OldBot' });
    const config = await env.DB.prepare('SELECT kind, name, unique_key FROM plugin_configs WHERE id = ?')
      .bind(channelId)
      .first();
    expect(config).toEqual({ kind: 'channel', name: 'Old bot', unique_key: null });
  });
});
