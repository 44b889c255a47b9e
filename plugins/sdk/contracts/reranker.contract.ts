/**
 * The contract every re-ranker plugin must meet, as a reusable vitest suite: call `runRerankerContract(plugin,
 * options)` at the top level of the re-ranker's test file, pointed at its fake server or binding. Checks a service
 * cannot be made to fail are left out with their reason (checks.ts).
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { RerankContext, RerankedDocument, RerankerPlugin, RerankRequest } from '../index.ts';
import { RerankerError } from '../index.ts';
import { fakeClock } from '../testing/fakes.ts';
import { contractChecks, type OmittedCheck } from './checks.ts';
import { type ContextPorts, manifestContract } from './manifest.ts';

export interface RerankerContractOptions<Settings> {
  /** Suite title suffix, to run the contract more than once. Defaults to the id. */
  label?: string;
  /** A fresh context for one call; pass `signal` and `clock` through. */
  context(ports: ContextPorts): RerankContext<Settings> | Promise<RerankContext<Settings>>;
  /** Set when the same request always gets the same order and scores (the offline re-ranker, every fake). */
  deterministic?: boolean;
  /**
   * Set when the plugin (or its fake) ranks by the query's words, so the fixture below has one right order. A
   * semantic service's real order on it is not ours to assert; its fake is lexical, so every plugin here sets it.
   */
  ranksFixture?: boolean;
  /** A query the service answers with a 429 (a fake's trigger word); unset when it cannot be made to. */
  rateLimitedQuery?: string;
  /** Settings with a credential the service refuses (401); unset for re-rankers without one. */
  refusedSettings?: Partial<Settings>;
  /** False for a re-ranker that does no I/O, so there is nothing an abort could cancel. Defaults to true. */
  abortable?: boolean;
}

const QUERY = 'How long do refunds take?';
/** The relevant passage sits last, so an order that merely echoes the input fails. */
const DOCUMENTS = [
  'Our office is open Monday to Friday.',
  'Passwords can be changed under Settings.',
  'Shipping is free above 50 euros.',
  'Refunds take five working days after we receive the parcel. Refunds go back to the original card.',
];
const RELEVANT = 3;

export function runRerankerContract<S extends z.ZodObject>(
  plugin: RerankerPlugin<S>,
  options: RerankerContractOptions<z.infer<S>>,
): OmittedCheck[] {
  const checks = contractChecks();
  const label = options.label ?? plugin.id;
  const abortable = options.abortable ?? true;

  const context = async (signal = new AbortController().signal): Promise<RerankContext<z.infer<S>>> =>
    options.context({ signal, clock: fakeClock() });

  const rerank = async (request: Partial<RerankRequest>): Promise<RerankedDocument[]> =>
    plugin.rerank(await context(), {
      model: firstModel(),
      query: QUERY,
      documents: DOCUMENTS,
      topN: DOCUMENTS.length,
      ...request,
    });

  function firstModel(): string {
    const model = plugin.models[0];
    if (!model) throw new Error(`${plugin.id} lists no models`);
    return model.id;
  }

  async function failure(ctx: RerankContext<z.infer<S>>, query: string): Promise<RerankerError> {
    const error = await plugin.rerank(ctx, { model: firstModel(), query, documents: DOCUMENTS, topN: 2 }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error, 'the call must fail with a RerankerError').toBeInstanceOf(RerankerError);
    return error as RerankerError;
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

  describe(`reranker contract: ${label}`, () => {
    manifestContract(plugin, 'reranker');

    it('lists models with unique ids, positive document and input limits', () => {
      expect(plugin.models.length).toBeGreaterThan(0);
      const ids = plugin.models.map((model) => model.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const model of plugin.models) {
        expect(model.id.trim(), 'id').not.toBe('');
        expect(model.label.trim(), 'label').not.toBe('');
        for (const key of ['maxDocuments', 'maxInputTokens'] as const) {
          expect(Number.isInteger(model[key]) && model[key] > 0, `${model.id}.${key}`).toBe(true);
        }
      }
    });

    it('returns each document at most once, by a valid index, with finite scores sorted best first', async () => {
      for (const model of plugin.models) {
        const results = await rerank({ model: model.id });
        expect(results, model.id).toHaveLength(DOCUMENTS.length);
        const indexes = results.map((result) => result.index);
        expect(new Set(indexes).size, `${model.id}: unique indexes`).toBe(indexes.length);
        for (const { index, score } of results) {
          expect(Number.isInteger(index) && index >= 0 && index < DOCUMENTS.length, `${model.id}: index`).toBe(true);
          expect(Number.isFinite(score), `${model.id}: finite score`).toBe(true);
        }
        const scores = results.map((result) => result.score);
        expect(scores, `${model.id}: best first`).toEqual([...scores].sort((a, b) => b - a));
      }
    });

    checks.when(
      Boolean(options.ranksFixture),
      'options.ranksFixture is not set: the service ranks semantically, and its order on the fixture is its own',
    )('puts the passage that answers the query first', async () => {
      const [best] = await rerank({ topN: 2 });
      expect(best?.index).toBe(RELEVANT);
    });

    it('returns at most topN results, and every document when topN exceeds them', async () => {
      expect(await rerank({ topN: 2 })).toHaveLength(2);
      expect(await rerank({ topN: 1 })).toHaveLength(1);
      expect(await rerank({ topN: 50 })).toHaveLength(DOCUMENTS.length);
    });

    it('answers no documents with no results', async () => {
      expect(await rerank({ documents: [] })).toEqual([]);
    });

    it('truncates a document longer than the model reads instead of failing', async () => {
      const model = plugin.models[0];
      // ≈ 4 characters a token: twice as long as the model reads.
      const long = 'Refunds and returns policy. '.repeat(Math.ceil(((model?.maxInputTokens ?? 512) * 8) / 28));
      const results = await rerank({ documents: [DOCUMENTS[0] ?? '', long], topN: 2 });
      expect(results.map((result) => result.index).sort()).toEqual([0, 1]);
    });

    checks.when(
      Boolean(options.deterministic),
      'options.deterministic is not set: the service may score the same pair slightly differently each call',
    )('gives the same request the same order and scores', async () => {
      const first = await rerank({});
      expect(await rerank({})).toEqual(first);
    });

    checks.when(
      options.rateLimitedQuery !== undefined,
      'options.rateLimitedQuery is not set: the re-ranker calls no service that rate-limits',
    )('maps a rate limit (429) to a retryable RerankerError carrying the wait the service asked for', async () => {
      const ctx = await context();
      const error = await failure(ctx, options.rateLimitedQuery ?? '');
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs, 'retryAfterMs').toBeGreaterThanOrEqual(0);
      expectNoSecret(error, ctx.settings);
    });

    checks.when(
      options.refusedSettings !== undefined,
      'options.refusedSettings is not set: the re-ranker has no credential to refuse',
    )('maps a refused credential (401) to a RerankerError that is not retryable and does not quote it', async () => {
      const base = await context();
      const settings = { ...base.settings, ...options.refusedSettings };
      const error = await failure({ ...base, settings }, QUERY);
      expect(error.retryable).toBe(false);
      expectNoSecret(error, settings);
    });

    it('refuses a model it does not list with a RerankerError that is not retryable', async () => {
      const error = await plugin
        .rerank(await context(), { model: 'no-such-model', query: QUERY, documents: DOCUMENTS, topN: 2 })
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(RerankerError);
      expect((error as RerankerError).retryable).toBe(false);
    });

    checks.when(abortable, 'options.abortable is false: the re-ranker computes in-process, with no I/O to cancel')(
      'fails without a result when the signal is already aborted',
      async () => {
        const controller = new AbortController();
        controller.abort(new Error('contract abort'));
        const ctx = await context(controller.signal);
        await expect(
          plugin.rerank(ctx, { model: firstModel(), query: QUERY, documents: DOCUMENTS, topN: 2 }),
        ).rejects.toBeDefined();
      },
    );

    checks.report(`reranker contract: ${label}`);
  });
  return checks.omitted;
}
