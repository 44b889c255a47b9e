/**
 * The contract every email-sender plugin must meet, as a reusable vitest suite: call `runEmailContract(plugin,
 * options)` at the top level of the sender's test file. The options say how to reach the service (a fake server or a
 * recording binding), how to read back what it delivered, and which failures it can be made to answer; a check whose
 * failure the service cannot produce is left out with its reason (checks.ts).
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { EmailContext, EmailSenderPlugin, OutgoingEmail } from '../index.ts';
import { EmailError } from '../index.ts';
import { fakeClock } from '../testing/fakes.ts';
import { contractChecks, type OmittedCheck } from './checks.ts';
import { type ContextPorts, manifestContract } from './manifest.ts';

/** What the service received for one send, as the test can read it back. */
export interface DeliveredEmail {
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  replyTo?: string;
  /** The key the service deduplicated by, when the sender passes one. */
  idempotencyKey?: string;
}

export interface EmailContractOptions<Settings> {
  /** Suite title suffix, to run the contract more than once. Defaults to the id. */
  label?: string;
  /** A fresh context for one send, pointed at the fake service; pass `signal` and `clock` through. */
  context(ports: ContextPorts): EmailContext<Settings> | Promise<EmailContext<Settings>>;
  /** Everything the service delivered whose subject is `subject` (each check sends a subject of its own). */
  delivered(subject: string): Promise<DeliveredEmail[]>;
  /** The sender address the context's settings hold, which every delivery must carry. */
  from: string;
  /** Recipients that make the service answer: accepted, rate limited (429), failing (5xx), refused (4xx). */
  recipients: { accepted: string; rateLimited?: string; serverError?: string; refused?: string };
  /** Set when the sender hands `idempotencyKey` to the service, which then delivers a repeated key once. */
  passesIdempotencyKey?: boolean;
  /** Settings with a credential the service refuses; unset for senders without a credential. */
  refusedSettings?: Partial<Settings>;
}

export function runEmailContract<S extends z.ZodObject>(
  plugin: EmailSenderPlugin<S>,
  options: EmailContractOptions<z.infer<S>>,
): OmittedCheck[] {
  const checks = contractChecks();
  const label = options.label ?? plugin.id;
  const { recipients } = options;

  const context = async (signal = new AbortController().signal): Promise<EmailContext<z.infer<S>>> =>
    options.context({ signal, clock: fakeClock() });

  const message = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
    from: options.from,
    to: [recipients.accepted],
    subject: `Contract ${label} ${crypto.randomUUID()}`,
    text: 'Sent by the email contract suite.',
    idempotencyKey: `contract:${crypto.randomUUID()}`,
    ...overrides,
  });

  async function failure(ctx: EmailContext<z.infer<S>>, sent: OutgoingEmail): Promise<EmailError> {
    const error = await plugin.send(ctx, sent).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error, 'the send must fail with an EmailError').toBeInstanceOf(EmailError);
    return error as EmailError;
  }

  function secretsOf(settings: z.infer<S>): string[] {
    const values = settings as Record<string, unknown>;
    return plugin.secrets.map((key) => values[key]).filter((value): value is string => typeof value === 'string');
  }

  function expectNoSecret(error: EmailError, secrets: readonly string[]): void {
    for (const secret of secrets) {
      if (secret.length >= 4) expect(`${error.message} ${error.stack ?? ''}`).not.toContain(secret);
    }
  }

  describe(`email contract: ${label}`, () => {
    manifestContract(plugin, 'email');

    it('declares the `from` setting the core sends as', () => {
      expect(Object.keys(plugin.settings.shape)).toContain('from');
    });

    it('sends from, to, subject and text, and returns the service’s id', async () => {
      const sent = message({ to: [recipients.accepted] });
      const { id } = await plugin.send(await context(), sent);
      expect(typeof id === 'string' && id.trim() !== '', 'id').toBe(true);
      const delivered = await options.delivered(sent.subject);
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({ from: options.from, to: [recipients.accepted], text: sent.text });
    });

    it('sends html and reply-to when the message has them', async () => {
      const sent = message({ html: '<p>Sent by the <b>contract</b>.</p>', replyTo: recipients.accepted });
      await plugin.send(await context(), sent);
      const [delivered] = await options.delivered(sent.subject);
      expect(delivered).toMatchObject({ html: sent.html, replyTo: recipients.accepted });
    });

    checks.when(
      Boolean(options.passesIdempotencyKey),
      'options.passesIdempotencyKey is not set: the service takes no idempotency key, so the core’s receipts alone deduplicate',
    )('passes the idempotency key, so the service delivers a repeated send once', async () => {
      const sent = message();
      const first = await plugin.send(await context(), sent);
      const again = await plugin.send(await context(), sent);
      expect(again.id).toBe(first.id);
      const delivered = await options.delivered(sent.subject);
      expect(delivered).toHaveLength(1);
      expect(delivered[0]?.idempotencyKey).toBe(sent.idempotencyKey);
    });

    checks.when(
      recipients.rateLimited !== undefined,
      'recipients.rateLimited is not set: the service cannot be made to answer 429',
    )('maps a rate limit (429) to a retryable EmailError, with the wait the service asked for', async () => {
      const ctx = await context();
      const error = await failure(ctx, message({ to: [recipients.rateLimited ?? ''] }));
      expect(error.retryable).toBe(true);
      if (error.retryAfterMs !== undefined) expect(error.retryAfterMs).toBeGreaterThanOrEqual(0);
      expectNoSecret(error, secretsOf(ctx.settings));
    });

    checks.when(
      recipients.serverError !== undefined,
      'recipients.serverError is not set: the service cannot be made to fail on its side',
    )('maps a server failure (5xx) to a retryable EmailError', async () => {
      const ctx = await context();
      const error = await failure(ctx, message({ to: [recipients.serverError ?? ''] }));
      expect(error.retryable).toBe(true);
      expectNoSecret(error, secretsOf(ctx.settings));
    });

    checks.when(
      recipients.refused !== undefined,
      'recipients.refused is not set: the service cannot be made to refuse a recipient',
    )('maps a refused message (4xx) to an EmailError that is not retryable', async () => {
      const ctx = await context();
      const sent = message({ to: [recipients.refused ?? ''] });
      const error = await failure(ctx, sent);
      expect(error.retryable).toBe(false);
      expectNoSecret(error, secretsOf(ctx.settings));
      expect(await options.delivered(sent.subject)).toEqual([]);
    });

    checks.when(
      options.refusedSettings !== undefined,
      'options.refusedSettings is not set: the sender has no credential to refuse',
    )(
      'maps a refused credential to an EmailError that is not retryable and does not quote the credential',
      async () => {
        const base = await context();
        const settings = { ...base.settings, ...options.refusedSettings };
        const error = await failure({ ...base, settings }, message());
        expect(error.retryable).toBe(false);
        expect(secretsOf(settings).length, 'the refused settings hold a secret').toBeGreaterThan(0);
        expectNoSecret(error, secretsOf(settings));
      },
    );

    it('sends nothing when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('contract abort'));
      const sent = message();
      await expect(plugin.send(await context(controller.signal), sent)).rejects.toBeDefined();
      expect(await options.delivered(sent.subject)).toEqual([]);
    });

    checks.report(`email contract: ${label}`);
  });
  return checks.omitted;
}
