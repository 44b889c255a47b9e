import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { conversations, messages } from '../db/schema/index.ts';
import { DAY_MS, utcDate } from '../http/time-range.ts';

export interface UsageRow {
  date: string;
  chatbotId: string;
  conversations: number;
  messages: { user: number; assistant: number };
  inputTokens: number;
  outputTokens: number;
}

export interface UsageRange {
  teamId: string;
  /** First millisecond included and first excluded, both at UTC midnight. */
  start: number;
  end: number;
  chatbotId?: string;
}

/**
 * Per chatbot per UTC day, from the D1 analytics copy: conversations by when they started, messages and tokens by
 * when each message was created. Only days with activity appear.
 */
export async function usageByDay(db: Database, range: UsageRange): Promise<UsageRow[]> {
  const scope = (table: typeof conversations | typeof messages): SQL | undefined =>
    and(
      eq(table.teamId, range.teamId),
      range.chatbotId === undefined ? undefined : eq(table.chatbotId, range.chatbotId),
      gte(table.createdAt, range.start),
      lt(table.createdAt, range.end),
    );
  // Integer division gives the UTC day number. The divisor is inlined: D1 binds JavaScript numbers as REAL, which
  // would make the division fractional and every row its own group.
  const perDay = sql.raw(String(DAY_MS));
  const conversationDay = sql<number>`${conversations.createdAt} / ${perDay}`;
  const messageDay = sql<number>`${messages.createdAt} / ${perDay}`;
  const [started, sent] = await db.batch([
    db
      .select({ chatbotId: conversations.chatbotId, day: conversationDay, count: sql<number>`count(*)` })
      .from(conversations)
      .where(scope(conversations))
      .groupBy(conversations.chatbotId, conversationDay),
    db
      .select({
        chatbotId: messages.chatbotId,
        day: messageDay,
        user: sql<number>`sum(${messages.role} = 'user')`,
        assistant: sql<number>`sum(${messages.role} = 'assistant')`,
        inputTokens: sql<number>`coalesce(sum(${messages.inputTokens}), 0)`,
        outputTokens: sql<number>`coalesce(sum(${messages.outputTokens}), 0)`,
      })
      .from(messages)
      .where(scope(messages))
      .groupBy(messages.chatbotId, messageDay),
  ]);
  const rows = new Map<string, UsageRow>();
  const row = (chatbotId: string, day: number) => {
    const key = `${day}:${chatbotId}`;
    let found = rows.get(key);
    if (!found) {
      found = {
        date: utcDate(day * DAY_MS),
        chatbotId,
        conversations: 0,
        messages: { user: 0, assistant: 0 },
        inputTokens: 0,
        outputTokens: 0,
      };
      rows.set(key, found);
    }
    return found;
  };
  for (const s of started) row(s.chatbotId, Number(s.day)).conversations = Number(s.count);
  for (const m of sent) {
    const r = row(m.chatbotId, Number(m.day));
    r.messages = { user: Number(m.user), assistant: Number(m.assistant) };
    r.inputTokens = Number(m.inputTokens);
    r.outputTokens = Number(m.outputTokens);
  }
  return [...rows.values()].sort((a, b) =>
    a.date === b.date ? (a.chatbotId < b.chatbotId ? -1 : 1) : a.date < b.date ? -1 : 1,
  );
}
