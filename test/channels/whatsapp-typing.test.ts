/**
 * WhatsApp's typing indicator end to end: a signed webhook goes through the Worker, the queue and the conversation
 * object; while the reply is generated the fake Cloud API must get the read receipt with `typing_indicator` for the
 * inbound wamid, and only then the reply.
 */
import { describe, expect, inject, it } from 'vitest';
import { inboundEnvelope } from '../../plugins/channels/whatsapp/testing.ts';
import { channelFixture, deliver, settledConversation, waitFor } from './webhook-helpers.ts';

interface Received {
  path: string;
  body: {
    to?: string;
    type?: string;
    status?: string;
    message_id?: string;
    typing_indicator?: { type?: string };
    text?: { body?: string };
  };
}

/** A WhatsApp id of its own for every test: the fake is shared by test files running in parallel. */
const freshWaId = () => `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/** A text from `waId` in the official envelope, with a current timestamp. */
const inboundText = (waId: string, wamid: string, text: string) =>
  inboundEnvelope(
    { id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } },
    { waId, name: 'Typing Test' },
  );

/** What the fake Cloud API received mentioning `waId` (the wamids below contain it), oldest first. */
async function receivedFor(waId: string): Promise<Received[]> {
  const response = await fetch(`${inject('fakeServers').whatsapp}/__requests?contains=${waId}`);
  return (await response.json()) as Received[];
}

const isReply = (call: Received, waId: string) => call.body.to === waId && call.body.type === 'text';
const isTypingFor = (call: Received, wamid: string) =>
  call.body.status === 'read' && call.body.message_id === wamid && call.body.typing_indicator?.type === 'text';

// Generous: these run real turns through the queue against fake platforms on a shared machine.
describe('WhatsApp typing indicator', { timeout: 30_000 }, () => {
  it('marks the inbound message read with typing before the reply is sent', async () => {
    const channel = await channelFixture('whatsapp');
    const waId = freshWaId();
    const wamid = `wamid.T5E2E-${waId}-1`;
    expect((await deliver(channel, inboundText(waId, wamid, 'Are you typing?'))).status).toBe(200);
    await settledConversation(channel.channelId, waId);
    const calls = await waitFor(
      () => receivedFor(waId),
      (list) => list.some((call) => isReply(call, waId)),
    );

    const typing = calls.findIndex((call) => isTypingFor(call, wamid));
    const reply = calls.findIndex((call) => isReply(call, waId));
    expect(typing, 'read receipt with typing_indicator for the inbound wamid').toBeGreaterThanOrEqual(0);
    expect(reply).toBeGreaterThan(typing);
    expect(calls[typing]?.path).toBe('/v23.0/106540352242922/messages');
    expect(calls[reply]?.body.text?.body).toContain('Are you typing?');
    // One short reply: one call (renewed every 20 s, not every 4 s).
    expect(calls.filter((call) => call.body.status === 'read')).toHaveLength(1);
  });

  it('types in reply to each new message of the chat', async () => {
    const channel = await channelFixture('whatsapp');
    const waId = freshWaId();
    const first = `wamid.T5E2E-${waId}-1`;
    const second = `wamid.T5E2E-${waId}-2`;
    await deliver(channel, inboundText(waId, first, 'First question'));
    await settledConversation(channel.channelId, waId, 1);
    await deliver(channel, inboundText(waId, second, 'Second question'));
    await settledConversation(channel.channelId, waId, 2);
    const calls = await waitFor(
      () => receivedFor(waId),
      (list) => list.filter((call) => isReply(call, waId)).length >= 2,
    );

    const replies = calls.flatMap((call, index) => (isReply(call, waId) ? [index] : []));
    expect(replies).toHaveLength(2);
    const typingFirst = calls.findIndex((call) => isTypingFor(call, first));
    const typingSecond = calls.findIndex((call) => isTypingFor(call, second));
    expect(typingFirst).toBeGreaterThanOrEqual(0);
    expect(typingFirst).toBeLessThan(replies[0] ?? -1);
    // The second turn answers the second message: it is the one marked read, after the first reply.
    expect(typingSecond).toBeGreaterThan(replies[0] ?? Number.POSITIVE_INFINITY);
    expect(typingSecond).toBeLessThan(replies[1] ?? -1);
  });
});
