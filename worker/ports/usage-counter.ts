/**
 * The usage counter port (issue 19 §1, ../shared/research/m2-architecture.md §8 "Counters go to Analytics Engine"):
 * tokens and response times per team, chatbot and model, recorded off the turn path by the queue consumer.
 * Implementations: Workers Analytics Engine in production (worker/queue/usage-counters.ts, when the `USAGE` dataset
 * is bound), and locally the D1 message copies themselves, which the usage API and the Home charts already sum.
 */
export interface UsagePoint {
  teamId: string;
  chatbotId: string;
  conversationId: string;
  providerId: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  /** From the reply starting to it being complete; null when unknown. */
  responseMs: number | null;
  /** When the reply completed (ms since the epoch). */
  at: number;
}

export interface UsageCounter {
  record(points: readonly UsagePoint[]): Promise<void>;
}
