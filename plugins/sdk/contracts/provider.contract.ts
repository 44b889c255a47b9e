/**
 * The contract every provider plugin must meet, as a reusable vitest suite (like Hono's shared router tests):
 * call `runProviderContract(plugin, options)` at the top level of the provider's test file. Checks that do not apply
 * are left out with their reason (checks.ts); the returned list is complete once the suite has been collected.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type {
  ChatMessage,
  ChatRequest,
  ChatStreamEvent,
  Clock,
  ImagePart,
  JsonObject,
  PluginContext,
  ProviderPlugin,
} from '../index.ts';
import { validateJson } from '../json-schema.ts';
import { fakeClock } from '../testing/fakes.ts';
import { contractChecks, type OmittedCheck } from './checks.ts';
import { type ContextPorts, jsonProblem, manifestContract } from './manifest.ts';

export interface ProviderContractOptions<Settings> {
  /** Suite title suffix, to run the contract more than once (e.g. with different settings). Defaults to the id. */
  label?: string;
  /**
   * Builds a fresh context for one call. `signal` is the one the suite aborts (it is used for `chat` whatever the
   * factory returns); use `clock` unless the test needs its own; point `fetch` at a fake HTTP server.
   */
  context(ports: ContextPorts): PluginContext<Settings> | Promise<PluginContext<Settings>>;
  /** The conversation the suite sends. Defaults to one short user message. */
  conversation?: { system?: string; messages: ChatMessage[] };
  /** Model to chat with. Defaults to `plugin.defaultModel`. */
  model?: string;
  /**
   * Parameters with a known key of the wrong type, which `parameters(model)` must reject. Derived from the schema
   * when omitted (a JSON type the property does not allow); give it when the schema has no plain-typed property.
   */
  wrongTypeParameters?: Record<string, unknown>;
  /** Set when the provider honours an output limit: parameters imposing it, and the limit in tokens. */
  truncation?: { parameters: Record<string, unknown>; maxOutputTokens: number };
  /** Set when the same request always streams the same events (true for the offline provider and fake servers). */
  deterministic?: boolean;
  /**
   * For providers with `capabilities.vision`: what the reply to a message carrying one PNG must match, when the
   * server can say (a fake that reports the images it received). Without it the check only needs a normal reply.
   */
  visionReply?: RegExp;
}

/** A 1×1 PNG, the image the vision check attaches. */
export const CONTRACT_PNG: ImagePart = {
  mimeType: 'image/png',
  data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
};

/** The structured-output check's schema: a router's answer (an enum, as llm_router asks) and a number. */
export const CONTRACT_RESPONSE_FORMAT: NonNullable<ChatRequest['responseFormat']> = {
  type: 'json_schema',
  name: 'route_choice',
  schema: {
    type: 'object',
    properties: {
      route: { type: 'string', enum: ['support', 'billing'] },
      confidence: { type: 'number' },
    },
    required: ['route', 'confidence'],
    additionalProperties: false,
  },
};

const EVENT_TYPES = ['text-delta', 'tool-call', 'usage', 'metadata', 'finish'];
// After an abort a provider may still report what it has (metadata, usage, a finish) but nothing more.
const MAX_EVENTS_AFTER_ABORT = 3;

interface ChatRun {
  events: ChatStreamEvent[];
  /** Events that arrived after the suite aborted the signal. */
  afterAbort: ChatStreamEvent[];
  /** `sleep`s that began after the abort and still resolved: waiting the provider should not have done. */
  sleepsAfterAbort: number;
  /** What the iteration threw, when it ended by throwing. */
  error?: unknown;
  abortReason?: unknown;
}

type AbortMode = 'never' | 'before-start' | 'after-first-delta';

export function runProviderContract<S extends z.ZodObject>(
  plugin: ProviderPlugin<S>,
  options: ProviderContractOptions<z.infer<S>>,
): OmittedCheck[] {
  const checks = contractChecks();
  const model = options.model ?? plugin.defaultModel;
  const conversation = options.conversation ?? {
    system: 'You are a helpful assistant.',
    messages: [{ role: 'user', content: 'Hello! What can you do for me today?' }],
  };

  async function chat(
    parameters: Record<string, unknown>,
    abort: AbortMode = 'never',
    sent: { system?: string; messages: ChatMessage[] } = conversation,
    responseFormat?: ChatRequest['responseFormat'],
  ): Promise<ChatRun> {
    const controller = new AbortController();
    const base = await options.context({ signal: controller.signal, clock: fakeClock() });
    let sleepsAfterAbort = 0;
    const clock: Clock = {
      now: () => base.clock.now(),
      async sleep(ms, signal) {
        const late = controller.signal.aborted;
        await base.clock.sleep(ms, signal);
        if (late) sleepsAfterAbort++;
      },
    };
    const request: ChatRequest = {
      model,
      ...sent,
      parameters: plugin.parameters(model).parse(parameters),
      ...(responseFormat && { responseFormat }),
    };
    if (abort === 'before-start') controller.abort();
    const run: ChatRun = { events: [], afterAbort: [], sleepsAfterAbort: 0 };
    // The suite's own signal and observing clock, even if the factory built the context differently.
    const iterator = plugin.chat({ ...base, clock, signal: controller.signal }, request)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        (controller.signal.aborted ? run.afterAbort : run.events).push(next.value);
        // Stop pulling from a provider that ignores the abort, so the failure is reported instead of hanging.
        if (run.afterAbort.length > MAX_EVENTS_AFTER_ABORT) {
          await iterator.return?.();
          break;
        }
        if (abort === 'after-first-delta' && next.value.type === 'text-delta') controller.abort();
      }
    } catch (error) {
      if (abort === 'never') throw error;
      run.error = error;
    }
    run.sleepsAfterAbort = sleepsAfterAbort;
    run.abortReason = controller.signal.reason;
    return run;
  }

  const freshContext = async (): Promise<PluginContext<z.infer<S>>> =>
    options.context({ signal: new AbortController().signal, clock: fakeClock() });

  const text = (events: readonly ChatStreamEvent[]): string =>
    events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');

  function expectEndedByAbort(run: ChatRun): void {
    // Ending quietly or rethrowing the abort (its reason, or fetch's AbortError) are both fine; any other error
    // means the provider failed at something else while being cancelled.
    const rethrown = run.error === undefined || run.error === run.abortReason;
    if (!rethrown) expect(run.error).toMatchObject({ name: 'AbortError' });
    const late = run.afterAbort.filter((event) => event.type === 'text-delta' || event.type === 'tool-call');
    expect(late, 'text or tool calls after the abort').toEqual([]);
    expect(run.afterAbort.length).toBeLessThanOrEqual(MAX_EVENTS_AFTER_ABORT);
    expect(run.sleepsAfterAbort, 'sleeps that ignored the abort').toBe(0);
  }

  describe(`provider contract: ${options.label ?? plugin.id}`, () => {
    manifestContract(plugin, 'provider');

    it('declares every capability as a boolean, chat always on', () => {
      expect(plugin.capabilities.chat).toBe(true);
      for (const [name, value] of Object.entries(plugin.capabilities)) expect(typeof value, name).toBe('boolean');
    });

    it('lists at least one model, including the default model, each once', async () => {
      const models = await plugin.models(await freshContext());
      expect(models.length).toBeGreaterThan(0);
      const ids = models.map((info) => info.id);
      expect(ids).toContain(plugin.defaultModel);
      expect(new Set(ids).size).toBe(ids.length);
      for (const info of models) {
        expect(info.id.trim()).not.toBe('');
        expect(info.displayName.trim()).not.toBe('');
        const size = info.contextWindow;
        if (size !== undefined) expect(Number.isInteger(size) && size > 0, 'contextWindow').toBe(true);
      }
    });

    describe('parameters(model)', () => {
      it('accepts no parameters at all for every listed model', async () => {
        const models = await plugin.models(await freshContext());
        for (const info of models) expect(plugin.parameters(info.id).safeParse({}).success, info.id).toBe(true);
      });

      it('publishes an object JSON Schema for the dashboard form', () => {
        expect(z.toJSONSchema(plugin.parameters(model), { io: 'input' }).type).toBe('object');
      });

      it('rejects an unknown key, so typos do not silently fall back to defaults', () => {
        expect(plugin.parameters(model).safeParse({ contractUnknownKey: 1 }).success).toBe(false);
      });

      it('rejects a known key with a value of the wrong type', () => {
        const schema = plugin.parameters(model);
        const samples = options.wrongTypeParameters ? [options.wrongTypeParameters] : wrongTypeSamples(schema);
        const hasKeys = Object.keys(schema.shape).length > 0;
        if (hasKeys) expect(samples.length, 'no typed property: give options.wrongTypeParameters').toBeGreaterThan(0);
        for (const sample of samples) expect(schema.safeParse(sample).success, JSON.stringify(sample)).toBe(false);
      });
    });

    describe('chat()', () => {
      it('streams non-empty text deltas that make a non-empty reply', async () => {
        const { events } = await chat({});
        const deltas = events.filter((event) => event.type === 'text-delta');
        expect(deltas.length).toBeGreaterThan(0);
        for (const delta of deltas) expect(delta.text).not.toBe('');
        expect(text(events).trim()).not.toBe('');
      });

      it('ends with exactly one finish event, reason stop', async () => {
        const { events } = await chat({});
        expect(events.filter((event) => event.type === 'finish')).toEqual([{ type: 'finish', reason: 'stop' }]);
        expect(events.at(-1)?.type).toBe('finish');
      });

      it('reports usage as non-negative integers before the finish', async () => {
        const { events } = await chat({});
        const usage = events.filter((event) => event.type === 'usage');
        expect(usage.length).toBeGreaterThan(0);
        for (const event of usage) {
          expect(Number.isInteger(event.inputTokens) && event.inputTokens >= 0, 'inputTokens').toBe(true);
          expect(Number.isInteger(event.outputTokens) && event.outputTokens >= 0, 'outputTokens').toBe(true);
        }
        const finish = events.findIndex((event) => event.type === 'finish');
        expect(events.findLastIndex((event) => event.type === 'usage')).toBeLessThan(finish);
      });

      it('emits only known event types, with JSON metadata', async () => {
        const { events } = await chat({});
        for (const event of events) {
          expect(EVENT_TYPES).toContain(event.type);
          if (event.type === 'metadata') expect(jsonProblem(event.metadata)).toBeUndefined();
        }
      });

      checks.when(
        Boolean(options.truncation),
        'options.truncation is not set: the provider (or its fake) has no output limit to hit',
      )('stops at the output limit with finish reason length', async () => {
        const truncation = options.truncation;
        if (!truncation) return;
        const full = await chat({});
        const { events } = await chat(truncation.parameters);
        expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
        const usage = events.findLast((event) => event.type === 'usage');
        expect(usage?.outputTokens).toBeLessThanOrEqual(truncation.maxOutputTokens);
        expect(text(events).length).toBeLessThan(text(full.events).length);
        if (options.deterministic) expect(text(full.events).startsWith(text(events))).toBe(true);
      });

      it('stops promptly, with no more text, when the signal aborts mid-stream', async () => {
        const run = await chat({}, 'after-first-delta');
        expect(run.events.at(-1)?.type).toBe('text-delta');
        expectEndedByAbort(run);
      });

      it('streams no text when the signal is already aborted', async () => {
        const run = await chat({}, 'before-start');
        expect(run.events).toEqual([]);
        expectEndedByAbort(run);
      });

      checks.when(plugin.capabilities.vision, 'capabilities.vision is false: the provider takes no images')(
        'answers a user message that carries an image',
        async () => {
          const messages: ChatMessage[] = [
            { role: 'user', content: 'What is in this picture?', images: [CONTRACT_PNG] },
          ];
          const { events } = await chat({}, 'never', { system: conversation.system, messages });
          expect(text(events).trim()).not.toBe('');
          expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
          if (options.visionReply) expect(text(events)).toMatch(options.visionReply);
        },
      );

      checks.when(
        plugin.capabilities.structuredOutput === true,
        'capabilities.structuredOutput is not set: the provider cannot be held to a JSON Schema',
      )('answers a responseFormat request with one JSON value valid against the schema', async () => {
        const sent = {
          system: 'Route the message.',
          messages: [{ role: 'user' as const, content: 'My invoice is wrong, this is about billing.' }],
        };
        const { events } = await chat({}, 'never', sent, CONTRACT_RESPONSE_FORMAT);
        expect(
          events.filter((event) => event.type === 'tool-call'),
          'no tool calls leak out',
        ).toEqual([]);
        expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
        const answer: unknown = JSON.parse(text(events));
        expect(validateJson(CONTRACT_RESPONSE_FORMAT.schema, answer)).toEqual({ valid: true, errors: [] });
      });

      checks.when(
        Boolean(options.deterministic),
        'options.deterministic is not set: the same request may stream different replies',
      )('streams the same events for the same request', async () => {
        const first = await chat({});
        const second = await chat({});
        expect(second.events).toEqual(first.events);
      });
    });

    checks.report(`provider contract: ${options.label ?? plugin.id}`);
  });
  return checks.omitted;
}

// A JSON value of each type, tried in order; the first one a property's `type` does not allow is the wrong one.
const JSON_SAMPLES: readonly [string, unknown][] = [
  ['string', 'contract-wrong-type'],
  ['number', 12.5],
  ['boolean', true],
  ['object', { contract: 'wrong-type' }],
  ['array', ['contract']],
];

/** One sample per plain-typed property of `schema`, holding a value of a JSON type that property does not allow. */
export function wrongTypeSamples(schema: z.ZodObject): Record<string, unknown>[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const samples: Record<string, unknown>[] = [];
  for (const [key, property] of Object.entries(properties)) {
    const declared = property.type;
    const allowed = new Set(Array.isArray(declared) ? declared : typeof declared === 'string' ? [declared] : []);
    if (allowed.size === 0) continue;
    if (allowed.has('integer')) allowed.add('number');
    const wrong = JSON_SAMPLES.find(([type]) => !allowed.has(type));
    if (wrong) samples.push({ [key]: wrong[1] });
  }
  return samples;
}
