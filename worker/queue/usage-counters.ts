import type { Env } from '../env.ts';
import type { UsageCounter, UsagePoint } from '../ports/usage-counter.ts';

/**
 * Analytics Engine accepts 250 data points per invocation and ≤ 96 bytes of index per point
 * (developers.cloudflare.com/analytics/analytics-engine/limits); a queue batch holds ≤ 100 messages, so ≤ 100 replies.
 */
export const MAX_POINTS_PER_INVOCATION = 250;
const MAX_INDEX_BYTES = 96;

/**
 * One data point per finished reply: index = team (AE samples per index, so a team's counts stay exact relative to
 * each other), blobs = chatbot, conversation, provider, model; doubles = input tokens, output tokens, response ms.
 * Query with the SQL API: `SELECT blob1 AS chatbot, SUM(_sample_interval * double1) … WHERE index1 = '<team>'`.
 * writeDataPoint does not block and returns nothing; no local simulator exists (Miniflare drops the writes).
 */
export function analyticsEngineUsageCounter(dataset: AnalyticsEngineDataset): UsageCounter {
  return {
    async record(points) {
      if (points.length > MAX_POINTS_PER_INVOCATION)
        throw new RangeError(`at most ${MAX_POINTS_PER_INVOCATION} usage points per invocation`);
      for (const point of points) dataset.writeDataPoint(dataPoint(point));
    },
  };
}

export function dataPoint(point: UsagePoint): AnalyticsEngineDataPoint {
  if (new TextEncoder().encode(point.teamId).length > MAX_INDEX_BYTES) throw new RangeError('team id too long');
  return {
    indexes: [point.teamId],
    blobs: [point.chatbotId, point.conversationId, point.providerId ?? '', point.model ?? ''],
    doubles: [point.inputTokens, point.outputTokens, point.responseMs ?? -1],
  };
}

/**
 * Locally (and wherever `USAGE` is unbound) the counters are the D1 message copies the analytics sink writes in the
 * same batch: the usage API and the Home charts sum those rows (worker/analytics/usage-query.ts), so recording here
 * again would count twice.
 */
export const d1UsageCounter: UsageCounter = { record: async () => {} };

export function usageCounterFor(env: Pick<Env, 'USAGE'>): UsageCounter {
  return env.USAGE ? analyticsEngineUsageCounter(env.USAGE) : d1UsageCounter;
}
