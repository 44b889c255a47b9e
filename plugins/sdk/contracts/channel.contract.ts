/**
 * The contract every channel plugin must meet, as a reusable vitest suite: call `runChannelContract(plugin, options)`
 * at the top level of the channel's test file.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { OGG_OPUS, PDF_STUB } from '../fake/media.ts';
import type { ChannelPlugin, InboundRequest, OutboundMessage, PluginContext } from '../index.ts';
import { fakeClock } from '../testing/fakes.ts';
import { type ContractChecks, contractChecks, type OmittedCheck } from './checks.ts';
import { type ContextPorts, jsonProblem, manifestContract } from './manifest.ts';

/** A webhook exactly as the platform sends it, correctly signed for the context's settings at `options.now`. */
export interface ChannelSample {
  name: string;
  request: InboundRequest;
  /** How many messages `parse` must find. Defaults to at least one; 0 for events that carry none. */
  messages?: number;
}

export interface ChannelContractOptions<Settings> {
  /** Suite title suffix. Defaults to the id. */
  label?: string;
  /** Builds a fresh context; its settings verify the samples, its `fetch` must reach a fake platform API server. */
  context(ports: ContextPorts): PluginContext<Settings> | Promise<PluginContext<Settings>>;
  /** The time the samples were signed at, passed to `verify` as `now`. */
  now: number;
  samples: readonly ChannelSample[];
  /** Headers carrying the signature (and anything signed with it, such as a timestamp); each is removed and altered. */
  signatureHeaders: readonly string[];
  /** False for platforms whose secret does not cover the body (Telegram's secret-token header). Defaults to true. */
  signsBody?: boolean;
  /** Set when `verify` rejects old requests: how old a request may be, in milliseconds. */
  replayWindowMs?: number;
  /** A message for `send` (and, where the plugin has them, `typing`, `edit`, `sendAudio` and `sendFile` in the same chat). */
  outbound: OutboundMessage;
  /** Required when the plugin has `downloadMedia`: a media id the fake platform serves. */
  media?: { mediaId: string };
  /** Why the plugin has no `sendFile` (the platform's limitation), reported with the omitted check. */
  noSendFileReason?: string;
}

/** The link the suite hands to a `filesByUrl` plugin's `sendFile`, shaped like the core's signed file links. */
const CONTRACT_FILE_URL = 'https://parley.example/api/v1/channel-files/team_c/conv_c/file_c?e=4102444800&t=contract';

/** The webhook URL the suite hands to `setup`. */
const CONTRACT_WEBHOOK_URL = 'https://parley.example/webhooks/contract/ch_contract';

/** Changes one character in the middle of `value`, keeping its alphabet (hex stays hex, base64 stays base64). */
export function tamper(value: string): string {
  if (value === '') return 'x';
  const at = Math.floor(value.length / 2);
  const replacement = value[at] === 'a' ? 'b' : value[at] === '1' ? '2' : /\d/.test(value[at] ?? '') ? '1' : 'a';
  return value.slice(0, at) + replacement + value.slice(at + 1);
}

function withHeaders(request: InboundRequest, change: (headers: Headers) => void): InboundRequest {
  const headers = new Headers(request.headers);
  change(headers);
  return { ...request, headers };
}

function snapshot(request: InboundRequest): unknown {
  return { ...request, headers: [...request.headers.entries()] };
}

export function runChannelContract<S extends z.ZodObject>(
  plugin: ChannelPlugin<S>,
  options: ChannelContractOptions<z.infer<S>>,
): OmittedCheck[] {
  const checks = contractChecks();
  const freshContext = async (): Promise<PluginContext<z.infer<S>>> =>
    options.context({ signal: new AbortController().signal, clock: fakeClock(options.now) });

  async function expectRejected(request: InboundRequest, now = options.now): Promise<void> {
    const { settings } = await freshContext();
    const result = await plugin.verify(settings, request, now);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([401, 403]).toContain(result.status);
    expect(result.reason.trim()).not.toBe('');
  }

  describe(`channel contract: ${options.label ?? plugin.id}`, () => {
    manifestContract(plugin, 'channel');

    it('declares its inbound kinds and a positive message length', () => {
      const { inbound, maxMessageLength } = plugin.capabilities;
      expect(inbound.length).toBeGreaterThan(0);
      expect(new Set(inbound).size).toBe(inbound.length);
      expect(Number.isInteger(maxMessageLength) && maxMessageLength > 0).toBe(true);
      expect(typeof plugin.capabilities.typingIndicator).toBe('boolean');
      expect(typeof plugin.capabilities.editMessages).toBe('boolean');
    });

    it('has samples and signature headers to check', () => {
      expect(options.samples.length).toBeGreaterThan(0);
      expect(options.signatureHeaders.length).toBeGreaterThan(0);
      for (const sample of options.samples) {
        for (const header of options.signatureHeaders) expect(sample.request.headers.has(header), header).toBe(true);
      }
    });

    describe('verify()', () => {
      for (const sample of options.samples) {
        it(`accepts the signed sample "${sample.name}"`, async () => {
          const { settings } = await freshContext();
          expect(await plugin.verify(settings, sample.request, options.now)).toEqual({ ok: true });
        });
      }

      const [first] = options.samples;
      for (const header of options.signatureHeaders) {
        it(`rejects a request without ${header}`, async () => {
          if (first) await expectRejected(withHeaders(first.request, (headers) => headers.delete(header)));
        });

        it(`rejects a request with a wrong ${header}`, async () => {
          const altered = (headers: Headers) => headers.set(header, tamper(headers.get(header) ?? ''));
          if (first) await expectRejected(withHeaders(first.request, altered));
        });

        it(`rejects a request whose ${header} is shorter`, async () => {
          // Length mismatches are where hand-written constant-time comparisons tend to go wrong.
          const altered = (headers: Headers) => headers.set(header, (headers.get(header) ?? '').slice(0, -1));
          if (first) await expectRejected(withHeaders(first.request, altered));
        });
      }

      checks.when(
        options.signsBody !== false,
        "options.signsBody is false: the platform's secret does not cover the body",
      )('rejects a body changed after signing', async () => {
        if (first) await expectRejected({ ...first.request, rawBody: tamper(first.request.rawBody) });
      });

      checks.when(
        options.replayWindowMs !== undefined,
        'options.replayWindowMs is not set: the signature carries no timestamp to age',
      )('rejects a replay older than the window', async () => {
        if (first) await expectRejected(first.request, options.now + (options.replayWindowMs ?? 0) + 1);
      });
    });

    checks.when(Boolean(plugin.handshake), 'no handshake(): the platform sends no subscription challenge')(
      'answers no handshake for ordinary webhooks',
      async () => {
        const { settings } = await freshContext();
        for (const sample of options.samples) {
          expect(plugin.handshake?.(settings, sample.request), sample.name).toBeNull();
        }
      },
    );

    describe('parse()', () => {
      for (const sample of options.samples) {
        it(`normalizes the sample "${sample.name}"`, async () => {
          const { settings } = await freshContext();
          const { messages } = plugin.parse(sample.request, settings);
          if (sample.messages === undefined) expect(messages.length).toBeGreaterThan(0);
          else expect(messages.length).toBe(sample.messages);
          for (const message of messages) {
            expect(message.platformMessageId.trim()).not.toBe('');
            expect(message.conversationKey.trim()).not.toBe('');
            expect(message.user.id.trim()).not.toBe('');
            expect(Number.isFinite(message.sentAt) && message.sentAt > 0, 'sentAt').toBe(true);
            expect(plugin.capabilities.inbound).toContain(message.content.kind);
            if (message.raw !== undefined) expect(jsonProblem(message.raw)).toBeUndefined();
            if (message.addressed !== undefined) expect(typeof message.addressed).toBe('boolean');
          }
          // The platform message id deduplicates deliveries; two messages sharing one would lose a message.
          const ids = messages.map((message) => message.platformMessageId);
          expect(new Set(ids).size).toBe(ids.length);
        });

        it(`is pure on the sample "${sample.name}"`, async () => {
          const { settings } = await freshContext();
          const before = snapshot(sample.request);
          const settingsBefore = JSON.stringify(settings);
          expect(plugin.parse(sample.request, settings)).toEqual(plugin.parse(sample.request, settings));
          expect(snapshot(sample.request)).toEqual(before);
          expect(JSON.stringify(settings)).toBe(settingsBefore);
        });
      }
    });

    describe('send()', () => {
      it('sends through ctx.fetch and returns the platform message ids', async () => {
        const ctx = await freshContext();
        let calls = 0;
        const counted: typeof fetch = (input, init) => {
          calls++;
          return ctx.fetch(input, init);
        };
        const result = await plugin.send({ ...ctx, fetch: counted }, options.outbound);
        expect(result).toMatchObject({ ok: true });
        if (!result.ok) return;
        expect(result.platformMessageIds.length).toBeGreaterThan(0);
        for (const id of result.platformMessageIds) expect(id.trim()).not.toBe('');
        expect(calls, 'network calls through ctx.fetch').toBeGreaterThan(0);
      });
    });

    optionalHooksContract(plugin, options, freshContext, checks);
    checks.report(`channel contract: ${options.label ?? plugin.id}`);
  });
  return checks.omitted;
}

/** A context whose fetch counts the calls, so a hook that bypasses `ctx.fetch` (a global fetch) is caught. */
function counting<S>(ctx: PluginContext<S>): { ctx: PluginContext<S>; calls: () => number } {
  let calls = 0;
  const fetcher: typeof fetch = (input, init) => {
    calls++;
    return ctx.fetch(input, init);
  };
  return { ctx: { ...ctx, fetch: fetcher }, calls: () => calls };
}

/** The platform id of the first message the samples parse to: what the core passes `typing` as `replyTo`. */
function firstParsedMessageId<S extends z.ZodObject>(
  plugin: ChannelPlugin<S>,
  options: ChannelContractOptions<z.infer<S>>,
  settings: z.infer<S>,
): string | undefined {
  for (const sample of options.samples) {
    const [message] = plugin.parse(sample.request, settings).messages;
    if (message) return message.platformMessageId;
  }
  return undefined;
}

const secretValues = (settings: Record<string, unknown>, keys: readonly string[]): string[] =>
  keys.map((key) => settings[key]).filter((value): value is string => typeof value === 'string' && value.length > 3);

/**
 * The optional hooks (typing, edit, downloadMedia, sendAudio, sendFile, setup): the capability flags must match the hooks a
 * plugin really has (the core trusts the flags), and each hook present must reach the platform through `ctx.fetch`.
 * Checks are registered only for hooks the plugin has; the others are listed as omitted with their reason.
 */
function optionalHooksContract<S extends z.ZodObject>(
  plugin: ChannelPlugin<S>,
  options: ChannelContractOptions<z.infer<S>>,
  freshContext: () => Promise<PluginContext<z.infer<S>>>,
  checks: ContractChecks,
): void {
  const { conversationKey } = options.outbound;
  describe('optional hooks', () => {
    it('has typing exactly when it declares a typing indicator', () => {
      expect(typeof plugin.typing === 'function').toBe(plugin.capabilities.typingIndicator);
    });

    it('has edit exactly when it declares message edits', () => {
      expect(typeof plugin.edit === 'function').toBe(plugin.capabilities.editMessages);
    });

    it('declares filesByUrl only with sendFile', () => {
      if (plugin.capabilities.filesByUrl) expect(typeof plugin.sendFile).toBe('function');
    });

    it('has sendFile exactly when it declares a file size limit', () => {
      const { maxFileBytes } = plugin.capabilities;
      expect(typeof plugin.sendFile === 'function').toBe(maxFileBytes !== undefined);
      if (maxFileBytes !== undefined) expect(Number.isInteger(maxFileBytes) && maxFileBytes > 0).toBe(true);
    });

    checks.when(Boolean(plugin.typing), 'no typing(): capabilities.typingIndicator is false')(
      'typing() shows the indicator through ctx.fetch',
      async () => {
        const { ctx, calls } = counting(await freshContext());
        // As the core calls it: with the id of the inbound message the reply answers (WhatsApp types in reply to it).
        const replyTo = firstParsedMessageId(plugin, options, ctx.settings);
        expect(replyTo, 'a sample that parses to a message').toBeDefined();
        expect(await plugin.typing?.(ctx, conversationKey, { replyTo })).toMatchObject({ ok: true });
        expect(calls(), 'network calls through ctx.fetch').toBeGreaterThan(0);
      },
    );

    checks.when(Boolean(plugin.typing), 'no typing(): capabilities.typingIndicator is false')(
      'typing() without a reply-to answers a result instead of throwing',
      async () => {
        const ctx = await freshContext();
        const result = await plugin.typing?.(ctx, conversationKey);
        expect(typeof result?.ok).toBe('boolean');
      },
    );

    checks.when(Boolean(plugin.edit), 'no edit(): capabilities.editMessages is false, replies are sent whole')(
      'edit() replaces a sent message and keeps its id',
      async () => {
        const { ctx, calls } = counting(await freshContext());
        const sent = await plugin.send(ctx, { conversationKey, text: 'Partial' });
        if (!sent.ok) throw new Error(`send failed: ${sent.message}`);
        const platformMessageId = sent.platformMessageIds[0] ?? '';
        const before = calls();
        const edited = await plugin.edit?.(ctx, { conversationKey, platformMessageId, text: 'Partial **and more**' });
        expect(edited).toEqual({ ok: true, platformMessageIds: [platformMessageId] });
        expect(calls(), 'network calls through ctx.fetch').toBeGreaterThan(before);
      },
    );

    checks.when(
      Boolean(plugin.downloadMedia),
      "no downloadMedia(): the platform's webhooks carry no media the core could fetch",
    )('downloadMedia() fetches the bytes and a mime type', async () => {
      expect(options.media, 'options.media: a media id the fake platform serves').toBeDefined();
      const { ctx, calls } = counting(await freshContext());
      const media = await plugin.downloadMedia?.(ctx, options.media?.mediaId ?? '');
      expect(media?.body.byteLength).toBeGreaterThan(0);
      expect(media?.mimeType).toMatch(/^[\w.+-]+\/[\w.+-]+/);
      expect(calls(), 'network calls through ctx.fetch').toBeGreaterThan(0);
    });

    checks.when(Boolean(plugin.sendAudio), 'no sendAudio(): the channel replies in text only')(
      'sendAudio() uploads a voice message and returns its id',
      async () => {
        const { ctx, calls } = counting(await freshContext());
        const audio = OGG_OPUS.slice().buffer;
        const result = await plugin.sendAudio?.(ctx, { conversationKey, audio, mimeType: 'audio/ogg' });
        expect(result).toMatchObject({ ok: true });
        if (result?.ok) expect(result.platformMessageIds.length).toBeGreaterThan(0);
        expect(calls(), 'network calls through ctx.fetch').toBeGreaterThan(0);
      },
    );

    checks.when(
      Boolean(plugin.sendFile),
      `no sendFile(): ${options.noSendFileReason ?? 'capabilities.maxFileBytes is unset'}; reply files are named in the text instead`,
    )('sendFile() uploads a document with its name and returns its id', async () => {
      const { ctx, calls } = counting(await freshContext());
      const bytes = PDF_STUB.slice().buffer;
      const file = { conversationKey, bytes, name: 'contract-report.pdf', mimeType: 'application/pdf' };
      // A platform that fetches files itself gets the signed link the core makes (worker/channels/reply-file-link.ts).
      const url = plugin.capabilities.filesByUrl ? { url: CONTRACT_FILE_URL } : {};
      const result = await plugin.sendFile?.(ctx, { ...file, ...url, caption: 'Your report' });
      expect(result).toMatchObject({ ok: true });
      if (result?.ok) expect(result.platformMessageIds.length).toBeGreaterThan(0);
      expect(calls(), 'network calls through ctx.fetch').toBeGreaterThan(0);
    });

    checks.when(Boolean(plugin.setup), "no setup(): the admin registers the webhook on the platform's side")(
      'setup() explains the outcome without echoing secrets',
      async () => {
        const ctx = await freshContext();
        const result = await plugin.setup?.(ctx, { webhookUrl: CONTRACT_WEBHOOK_URL });
        expect(typeof result?.ok).toBe('boolean');
        expect(result?.message.trim()).not.toBe('');
        const settings = ctx.settings as Record<string, unknown>;
        for (const secret of secretValues(settings, plugin.secrets)) expect(result?.message).not.toContain(secret);
      },
    );
  });
}
