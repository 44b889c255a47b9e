/**
 * The contract every embedder plugin must meet, as a reusable vitest suite: call `runEmbedderContract(plugin,
 * options)` at the top level of the embedder's test file, pointed at its fake server or binding. Checks a service
 * cannot be made to fail are left out with their reason (checks.ts).
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { EmbedContext, EmbedderPlugin, EmbedRequest, EmbedResult } from '../index.ts';
import { EmbedderError } from '../index.ts';
import { fakeClock } from '../testing/fakes.ts';
import { contractChecks, type OmittedCheck } from './checks.ts';
import { type ContextPorts, manifestContract } from './manifest.ts';

export interface EmbedderContractOptions<Settings> {
  /** Suite title suffix, to run the contract more than once. Defaults to the id. */
  label?: string;
  /** A fresh context for one call; pass `signal` and `clock` through. */
  context(ports: ContextPorts): EmbedContext<Settings> | Promise<EmbedContext<Settings>>;
  /** Set when the same input always gets the same vector (the offline embedder, every fake). */
  deterministic?: boolean;
  /** An input the service answers with a 429 (a fake's trigger word); unset when it cannot be made to. */
  rateLimitedInput?: string;
  /** Settings with a credential the service refuses (401); unset for embedders without one. */
  refusedSettings?: Partial<Settings>;
  /** False for an embedder that does no I/O, so there is nothing an abort could cancel. Defaults to true. */
  abortable?: boolean;
}

const TEXTS = ['The quick brown fox.', 'Refunds take five working days.', 'Wie ändere ich mein Passwort?'];

export function runEmbedderContract<S extends z.ZodObject>(
  plugin: EmbedderPlugin<S>,
  options: EmbedderContractOptions<z.infer<S>>,
): OmittedCheck[] {
  const checks = contractChecks();
  const label = options.label ?? plugin.id;
  const abortable = options.abortable ?? true;

  const context = async (signal = new AbortController().signal): Promise<EmbedContext<z.infer<S>>> =>
    options.context({ signal, clock: fakeClock() });

  const embed = async (request: Partial<EmbedRequest> & { inputs: readonly string[] }): Promise<EmbedResult> =>
    plugin.embed(await context(), { model: firstModel(), purpose: 'document', ...request });

  function firstModel(): string {
    const model = plugin.models[0];
    if (!model) throw new Error(`${plugin.id} lists no models`);
    return model.id;
  }

  async function failure(ctx: EmbedContext<z.infer<S>>, inputs: readonly string[]): Promise<EmbedderError> {
    const error = await plugin.embed(ctx, { model: firstModel(), inputs, purpose: 'document' }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error, 'the call must fail with an EmbedderError').toBeInstanceOf(EmbedderError);
    return error as EmbedderError;
  }

  function expectNoSecret(error: Error, settings: z.infer<S>): void {
    const values = settings as Record<string, unknown>;
    for (const key of plugin.secrets) {
      const secret = values[key];
      if (typeof secret === 'string' && secret.length >= 4) {
        expect(`${error.message} ${error.stack ?? ''}`).not.toContain(secret);
      }
    }
  }

  describe(`embedder contract: ${label}`, () => {
    manifestContract(plugin, 'embedder');

    it('lists models with unique ids, positive dimensions, batch and input limits', () => {
      expect(plugin.models.length).toBeGreaterThan(0);
      const ids = plugin.models.map((model) => model.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const model of plugin.models) {
        expect(model.id.trim(), 'id').not.toBe('');
        expect(model.label.trim(), 'label').not.toBe('');
        for (const key of ['dimensions', 'maxBatch', 'maxInputTokens'] as const) {
          expect(Number.isInteger(model[key]) && model[key] > 0, `${model.id}.${key}`).toBe(true);
        }
      }
    });

    it('returns one finite, non-zero vector of the model’s dimensions per input, for every model', async () => {
      for (const model of plugin.models) {
        const { vectors, tokens } = await embed({ model: model.id, inputs: TEXTS });
        expect(vectors, model.id).toHaveLength(TEXTS.length);
        for (const vector of vectors) {
          expect(vector, model.id).toBeInstanceOf(Float32Array);
          expect(vector.length, model.id).toBe(model.dimensions);
          expect(vector.every(Number.isFinite), `${model.id}: finite`).toBe(true);
          expect(
            vector.some((value) => value !== 0),
            `${model.id}: not all zero`,
          ).toBe(true);
        }
        if (tokens !== undefined) expect(Number.isInteger(tokens) && tokens > 0, `${model.id}: tokens`).toBe(true);
      }
    });

    it('embeds queries as well as documents', async () => {
      const { vectors } = await embed({ inputs: ['How do refunds work?'], purpose: 'query' });
      expect(vectors).toHaveLength(1);
      expect(vectors[0]?.length).toBe(plugin.models[0]?.dimensions);
    });

    it('accepts a full batch of the model’s maxBatch inputs', async () => {
      const model = plugin.models[0];
      const inputs = Array.from({ length: model?.maxBatch ?? 1 }, (_, i) => `Batch text number ${i}.`);
      const { vectors } = await embed({ inputs });
      expect(vectors).toHaveLength(inputs.length);
    });

    checks.when(
      Boolean(options.deterministic),
      'options.deterministic is not set: the service may return slightly different vectors for the same text',
    )('gives the same input the same vector, alone or in a batch, so the order is kept', async () => {
      const batch = await embed({ inputs: TEXTS });
      const again = await embed({ inputs: TEXTS });
      expect(again.vectors).toEqual(batch.vectors);
      for (const [index, text] of TEXTS.entries()) {
        const alone = await embed({ inputs: [text] });
        expect(alone.vectors[0], text).toEqual(batch.vectors[index]);
      }
      expect(batch.vectors[0]).not.toEqual(batch.vectors[1]);
    });

    checks.when(
      options.rateLimitedInput !== undefined,
      'options.rateLimitedInput is not set: the embedder calls no service that rate-limits',
    )('maps a rate limit (429) to a retryable EmbedderError carrying the wait the service asked for', async () => {
      const ctx = await context();
      const error = await failure(ctx, [options.rateLimitedInput ?? '']);
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs, 'retryAfterMs').toBeGreaterThanOrEqual(0);
      expectNoSecret(error, ctx.settings);
    });

    checks.when(
      options.refusedSettings !== undefined,
      'options.refusedSettings is not set: the embedder has no credential to refuse',
    )('maps a refused credential (401) to an EmbedderError that is not retryable and does not quote it', async () => {
      const base = await context();
      const settings = { ...base.settings, ...options.refusedSettings };
      const error = await failure({ ...base, settings }, TEXTS);
      expect(error.retryable).toBe(false);
      expectNoSecret(error, settings);
    });

    checks.when(abortable, 'options.abortable is false: the embedder computes in-process, with no I/O to cancel')(
      'fails without a result when the signal is already aborted',
      async () => {
        const controller = new AbortController();
        controller.abort(new Error('contract abort'));
        const ctx = await context(controller.signal);
        await expect(
          plugin.embed(ctx, { model: firstModel(), inputs: TEXTS, purpose: 'document' }),
        ).rejects.toBeDefined();
      },
    );

    checks.report(`embedder contract: ${label}`);
  });
  return checks.omitted;
}
