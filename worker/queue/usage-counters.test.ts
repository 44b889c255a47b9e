import { createMessageBatch, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedDemo, startConversation } from '../../test/seed.ts';
import { usageByDay } from '../analytics/usage-query.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { teamDatabase } from '../db/shards.ts';
import { consumeEvents } from './consumer.ts';
import type { QueueMessage } from './messages.ts';
import { analyticsEngineUsageCounter, dataPoint, MAX_POINTS_PER_INVOCATION } from './usage-counters.ts';

const DAY = Date.parse('2026-03-04T10:00:00Z');

const message = (position: number, role: 'user' | 'assistant', tokens: [number, number]): ConversationMessage => ({
  id: `msg_usage_${position}`,
  position,
  role,
  content: `m${position}`,
  status: 'complete',
  turnId: 'turn_x',
  clientMessageId: null,
  error: null,
  providerId: role === 'assistant' ? 'offline' : null,
  model: role === 'assistant' ? 'offline-1' : null,
  usage: role === 'assistant' ? { inputTokens: tokens[0], outputTokens: tokens[1] } : null,
  finishReason: role === 'assistant' ? 'stop' : null,
  metadata: {},
  createdAt: DAY + position * 1000,
  completedAt: DAY + position * 1000 + 250,
});

/** Analytics Engine has no local simulator (Miniflare drops writes): a dataset that keeps what it is given. */
function recordingDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, dataset: { writeDataPoint: (point?: AnalyticsEngineDataPoint) => point && points.push(point) } };
}

describe('usage counters: Analytics Engine and the D1 copies count the same replies', () => {
  it('records one point per finished reply with the tokens the usage API sums from D1', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const ref = { conversationId, teamId: demo.teamId, chatbotId: demo.chatbotId };
    const bodies: QueueMessage[] = [
      { type: 'message.upsert', ...ref, message: message(1, 'user', [0, 0]) },
      { type: 'message.upsert', ...ref, message: message(2, 'assistant', [120, 30]) },
      { type: 'message.upsert', ...ref, message: message(3, 'user', [0, 0]) },
      { type: 'message.upsert', ...ref, message: message(4, 'assistant', [200, 45]) },
    ];
    const { points, dataset } = recordingDataset();
    const batch = createMessageBatch<QueueMessage>(
      'parley-events',
      bodies.map((body, i) => ({ id: `u${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    await consumeEvents(batch, { ...env, USAGE: dataset as AnalyticsEngineDataset });

    expect(points).toEqual([
      {
        indexes: [demo.teamId],
        blobs: [demo.chatbotId, conversationId, 'offline', 'offline-1'],
        doubles: [120, 30, 250],
      },
      {
        indexes: [demo.teamId],
        blobs: [demo.chatbotId, conversationId, 'offline', 'offline-1'],
        doubles: [200, 45, 250],
      },
    ]);
    const [day] = await usageByDay(teamDatabase(env, demo.teamId), {
      teamId: demo.teamId,
      start: Date.parse('2026-03-04T00:00:00Z'),
      end: Date.parse('2026-03-05T00:00:00Z'),
    });
    const sum = (i: number) => points.reduce((total, point) => total + (point.doubles?.[i] ?? 0), 0);
    expect(day).toMatchObject({ inputTokens: sum(0), outputTokens: sum(1), messages: { user: 2, assistant: 2 } });
  });

  it('refuses more points than Analytics Engine takes per invocation, and over-long indexes', async () => {
    const { points, dataset } = recordingDataset();
    const counter = analyticsEngineUsageCounter(dataset as AnalyticsEngineDataset);
    const point = {
      teamId: 'team_x',
      chatbotId: 'bot',
      conversationId: 'conv',
      providerId: null,
      model: null,
      inputTokens: 1,
      outputTokens: 1,
      responseMs: null,
      at: 1,
    };
    await expect(counter.record(Array(MAX_POINTS_PER_INVOCATION + 1).fill(point))).rejects.toThrow(RangeError);
    expect(points).toEqual([]);
    expect(() => dataPoint({ ...point, teamId: 'x'.repeat(97) })).toThrow(RangeError);
    expect(dataPoint(point).doubles).toEqual([1, 1, -1]);
  });
});
