import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Env } from '../env.ts';
import { listSunkEmail } from './local-sink.ts';
import { teamEmail } from './team-email.ts';

const message = { to: ['ops@example.com'], subject: 'Escalation', text: 'Body', idempotencyKey: 'run_1:email' };

describe('teamEmail', () => {
  it('puts mail of a team with no sender in the local sink, once per idempotency key', async () => {
    const email = teamEmail(env, 'team_sink');
    const first = await email.send(message);
    const again = await email.send(message);
    await email.send({ ...message, idempotencyKey: 'run_2:email', subject: 'Second' });
    expect(again).toEqual(first);
    const sunk = await listSunkEmail(env, 'team_sink');
    expect(sunk.map((mail) => mail.subject)).toEqual(['Escalation', 'Second']);
    expect(sunk[0]).toMatchObject({ to: ['ops@example.com'], text: 'Body', teamId: 'team_sink' });
    expect(await listSunkEmail(env, 'team_other')).toEqual([]);
  });

  it('refuses when the deployment is not local and no sender is configured', async () => {
    const email = teamEmail({ ...env, EMAIL_SINK: undefined } as Env, 'team_none');
    await expect(email.send(message)).rejects.toThrow(/email is not configured/);
  });
});
