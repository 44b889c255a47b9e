/** The inbound consumer's failure handling: what it acknowledges, what it retries, and with what delay. */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../plugins/sdk/index.ts';
import { channelFixture, inboundClaims, settledConversation, threadsOf } from '../../test/channels/webhook-helpers.ts';
import { database } from '../db/client.ts';
import { chatbots } from '../db/schema/index.ts';
import worker from '../index.ts';
import type { ChannelInboundMessage, QueueMessage } from '../queue/messages.ts';
import { retryDelaySeconds } from './inbound-consumer.ts';

const CHAT = '3333333';

function inbound(channelId: string, teamId: string, content: InboundMessage['content'], id = crypto.randomUUID()) {
  const message: InboundMessage = {
    platformMessageId: `${CHAT}:${id}`,
    conversationKey: CHAT,
    user: { id: CHAT, name: 'Grace' },
    content,
    sentAt: Date.now(),
  };
  return { type: 'channel.inbound', teamId, channelId, pluginId: 'telegram', message, acceptedAt: Date.now() } as const;
}

async function consume(body: ChannelInboundMessage, attempts = 1) {
  const batch = createMessageBatch<QueueMessage>('parley-events', [
    { id: 'm1', timestamp: new Date(), attempts, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe('inbound consumer', () => {
  it('acknowledges and drops a message of a deleted channel', async () => {
    const result = await consume(inbound('chn_deleted', 'team_x', { kind: 'text', text: 'hello?' }));
    expect(result.explicitAcks).toEqual(['m1']);
    expect(result.retryMessages).toEqual([]);
  });

  it('acknowledges and drops a message when the chatbot has no published version, starting nothing', async () => {
    const channel = await channelFixture('telegram');
    await database(env.DB).update(chatbots).set({ publishedVersionId: null }).where(eq(chatbots.id, channel.chatbotId));
    const result = await consume(inbound(channel.channelId, channel.teamId, { kind: 'text', text: 'anyone?' }));
    expect(result.explicitAcks).toEqual(['m1']);
    expect(await threadsOf(channel.channelId)).toEqual([]);
    expect(await inboundClaims(channel.channelId)).toEqual([]);
  });

  it('retries a failed media download with back-off, then keeps the message as a description', async () => {
    const channel = await channelFixture('telegram', { options: { unsupportedReply: 'Please send text.' } });
    // The fake Bot API answers getFile for a file id containing "too-big" with 400 "file is too big".
    const body = inbound(channel.channelId, channel.teamId, {
      kind: 'image',
      mediaId: 'too-big-photo',
      caption: 'look',
    });
    const first = await consume(body, 1);
    // (the test harness does not report delaySeconds; retryDelaySeconds is checked below)
    expect(first.retryMessages.map((retry: { msgId: string }) => retry.msgId)).toEqual(['m1']);
    expect(first.explicitAcks).toEqual([]);
    const last = await consume(body, 3);
    expect(last.explicitAcks).toEqual(['m1']);
    const { messages } = await settledConversation(channel.channelId, CHAT);
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', '[image] look'],
      ['assistant', 'Please send text.'],
    ]);
  }, 30_000);

  it('backs off from 5 s, doubling, to at most 5 minutes', () => {
    expect([1, 2, 3, 4, 10, 50].map(retryDelaySeconds)).toEqual([5, 10, 20, 40, 300, 300]);
  });
});
