import type { Message } from '../../lib/types';

/** A message failed if its reply failed (`error`) or if sending it to the channel failed (`metadata.delivery`). */
export function failedMessages(messages: Message[]): number {
  return messages.filter((m) => {
    const delivery = m.metadata.delivery as { status?: string } | undefined;
    return Boolean(m.error) || delivery?.status === 'failed';
  }).length;
}

/** How a participant reads: their name, else their id on the platform, with the platform. */
export function participantLabel(p: { platform: string; externalId: string; name: string | null }): string {
  return `${p.name || p.externalId} (${p.platform})`;
}
