/**
 * The pure parts of sending reply files: which attachments count, the "[file: name]" fallback, the platform's size
 * limit and the per-file record a retry resumes from. Uploads themselves are covered end to end in
 * test/channels/delivery-files.test.ts and by each plugin's file.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChannelPlugin, OutboundFile } from '../../plugins/sdk/index.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import type { ConversationStore } from '../conversation/store.ts';
import type { Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import { channelOptions } from './options.ts';
import { canSendFiles, replyFiles, sendReplyFiles, withFileNames } from './reply-files.ts';
import type { ChannelRuntime } from './runtime.ts';

const message = (role: 'assistant' | 'user', attachments: unknown): ConversationMessage => ({
  id: 'msg_1',
  position: 1,
  role,
  content: 'Here is your report.',
  status: 'complete',
  turnId: 'turn_1',
  clientMessageId: null,
  error: null,
  providerId: null,
  model: null,
  usage: null,
  finishReason: null,
  metadata: { attachments } as ConversationMessage['metadata'],
  createdAt: 0,
  completedAt: 0,
});

const report = { fileId: 'file_aaaaaaaaaaaaaaaaaaaaaaaaaa', name: 'report.pdf', mimeType: 'application/pdf', size: 20 };
const big = { fileId: 'file_bbbbbbbbbbbbbbbbbbbbbbbbbb', name: 'big.pdf', mimeType: 'application/pdf', size: 2_000 };

function fileChannel(maxFileBytes: number) {
  const sent: OutboundFile[] = [];
  const plugin: ChannelPlugin = {
    id: 'fixture-files',
    kind: 'channel',
    displayName: 'Fixture: files',
    description: 'Test fixture recording file sends; never registered.',
    version: '0.0.1',
    settings: z.object({}),
    secrets: [],
    capabilities: {
      inbound: ['text'],
      typingIndicator: false,
      editMessages: false,
      maxMessageLength: 100,
      maxFileBytes,
    },
    verify: async () => ({ ok: true }),
    parse: () => ({ messages: [] }),
    send: async () => ({ ok: true, platformMessageIds: [] }),
    sendFile: async (_ctx, file) => {
      sent.push(file);
      return { ok: true, platformMessageIds: ['x'] };
    },
  };
  const runtime: ChannelRuntime = {
    id: 'chn_files',
    teamId: 'team_files',
    chatbotId: 'bot_files',
    pluginId: plugin.id,
    enabled: true,
    options: channelOptions.parse({}),
    plugin,
    settings: {},
  };
  return { runtime, sent };
}

// Never reached by these cases: no file here is read (each is either over the limit or already sent).
const host = {
  env: {} as Env,
  store: {} as ConversationStore,
  clock: systemClock,
  address: { conversationKey: 'chat-1' },
};

describe('replyFiles', () => {
  it("takes well-formed attachments of an assistant reply, never a user's uploads", () => {
    expect(replyFiles(message('assistant', [report, { fileId: 3 }, 'x']))).toEqual([report]);
    expect(replyFiles(message('user', [report]))).toEqual([]);
    expect(replyFiles(message('assistant', undefined))).toEqual([]);
  });
});

describe('withFileNames', () => {
  it('adds one line per file under the text, or is the text when there is none', () => {
    expect(withFileNames('Here you go.', [report, big])).toBe('Here you go.\n\n[file: report.pdf]\n[file: big.pdf]');
    expect(withFileNames('  ', [report])).toBe('[file: report.pdf]');
    expect(withFileNames('Nothing attached.', [])).toBe('Nothing attached.');
  });
});

describe('sendReplyFiles', () => {
  it("skips a file over the platform's limit with its reason, and sends nothing for it", async () => {
    const { runtime, sent } = fileChannel(1_000);
    const previous = [{ fileId: report.fileId, name: report.name, status: 'sent', platformMessageIds: ['old'] }];
    const outcome = await sendReplyFiles(host, runtime, [report, big], previous, true);
    expect(outcome.retry).toBeUndefined();
    expect(outcome.files).toEqual([
      previous[0],
      { fileId: big.fileId, name: 'big.pdf', status: 'skipped', reason: "larger than the platform's 1000 bytes" },
    ]);
    // The file already sent by an earlier attempt is not sent again.
    expect(sent).toEqual([]);
  });
});

describe('canSendFiles', () => {
  it('needs sendFile and files; a platform that fetches files by URL also needs PUBLIC_URL to sign links on', () => {
    const { runtime } = fileChannel(1_000);
    const byUrl = {
      ...runtime,
      plugin: { ...runtime.plugin, capabilities: { ...runtime.plugin.capabilities, filesByUrl: true } },
    };
    const withoutSend = { ...runtime, plugin: { ...runtime.plugin, sendFile: undefined } };
    expect(canSendFiles(runtime, {}, [report])).toBe(true);
    expect(canSendFiles(runtime, {}, [])).toBe(false);
    expect(canSendFiles(withoutSend, { PUBLIC_URL: 'https://bots.example.com' }, [report])).toBe(false);
    expect(canSendFiles(byUrl, {}, [report])).toBe(false);
    expect(canSendFiles(byUrl, { PUBLIC_URL: 'https://bots.example.com' }, [report])).toBe(true);
  });
});
