import type { Database } from '../db/client.ts';
import { eventLog } from '../db/schema/index.ts';
import type { EventLogEntry, EventRef } from '../queue/messages.ts';

/** One event log row, insert-or-ignore by id: a redelivered message writes nothing twice. */
export function logRow(db: Database, ref: EventRef, entry: EventLogEntry) {
  return db
    .insert(eventLog)
    .values({
      ...entry,
      teamId: ref.teamId,
      chatbotId: ref.chatbotId,
      conversationId: ref.conversationId,
      participantId: ref.participantId,
    })
    .onConflictDoNothing({ target: eventLog.id });
}
