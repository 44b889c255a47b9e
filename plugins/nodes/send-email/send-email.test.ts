import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { sendEmailNode, sendEmailNodePlugin } from './index.ts';

const example = {
  to: '{{ state.participant.email }}, ops@example.com',
  subject: 'Escalation: {{ input }}',
  body: 'User said: {{ run_input }}',
};

runNodeContract(sendEmailNodePlugin, {
  examples: [{ settings: { to: 'ops@example.com', subject: 'Hi', body: 'Body {{ input }}' }, input: 'x' }],
  invalidSettings: [
    { settings: { subject: 'x', body: 'y' }, why: 'no recipients' },
    { settings: { to: 'a@example.com', subject: '', body: 'y' }, why: 'an empty subject' },
  ],
});

describe('send_email', () => {
  it('renders recipients, subject and body and sends once per run and node, whatever the attempt', async () => {
    const services = fakeNodeServices();
    const options = {
      settings: example,
      input: 'refund',
      runInput: 'I want my money back',
      state: { participant: { email: 'ada@example.com' } },
      services,
    };
    const first = await runNodeKind(sendEmailNode, options);
    const retry = await runNodeKind(sendEmailNode, { ...options, attempt: 2 });
    expect(services.emails).toEqual([
      {
        to: ['ada@example.com', 'ops@example.com'],
        subject: 'Escalation: refund',
        text: 'User said: I want my money back',
        idempotencyKey: 'run_test:node',
      },
    ]);
    expect(retry.output).toEqual(first.output);
  });

  it('refuses a rendered address that is not one, naming the field', async () => {
    await expect(
      runNodeKind(sendEmailNode, {
        settings: { ...example, to: '{{ input }}' },
        input: 'not-an-address',
        services: fakeNodeServices(),
      }),
    ).rejects.toThrow(/^to: not an email address/);
  });

  it('keeps a rendered subject on one line (no header injection)', async () => {
    const services = fakeNodeServices();
    await runNodeKind(sendEmailNode, {
      settings: { ...example, to: 'a@example.com', subject: '{{ input }}' },
      input: 'Hi\r\nBcc: victim@example.com',
      services,
    });
    expect(services.emails[0]?.subject).toBe('Hi Bcc: victim@example.com');
  });
});
