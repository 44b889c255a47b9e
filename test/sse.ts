import type { ConversationEvent } from '../worker/conversation/protocol.ts';

/** Parses a complete Server-Sent Events body into Parley events (comments and `retry:` lines skipped). */
export function parseSse(body: string): ConversationEvent[] {
  return body
    .split('\n\n')
    .map((frame) => frame.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice('data: '.length)) as ConversationEvent);
}
