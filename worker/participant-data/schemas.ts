import { z } from '@hono/zod-openapi';
import { idParam } from '../http/schemas.ts';

export const ChatbotParticipantData = z
  .object({
    chatbotId: z.string(),
    data: z.record(z.string(), z.unknown()).describe("The chatbot's data about this participant"),
    updatedAt: z.string().nullable().describe('When it last changed; null when the chatbot stored none yet'),
  })
  .openapi('ChatbotParticipantData');

export type ChatbotParticipantData = z.infer<typeof ChatbotParticipantData>;

export const ParticipantDataList = z
  .object({ data: z.array(ChatbotParticipantData).describe('One entry per chatbot that stored data') })
  .openapi('ParticipantDataList');

export type ParticipantDataList = z.infer<typeof ParticipantDataList>;

/** A body is the data itself (PUT) or a merge patch of it (PATCH): one JSON object. */
export const DataBody = z
  .record(z.string().min(1).max(200), z.unknown())
  .openapi('ParticipantDataBody', { example: { plan: 'pro', visits: 3 } });

export const participantParams = z.object({ id: idParam('id', 'ptc_…') });
export const chatbotDataParams = participantParams.extend({ chatbotId: idParam('chatbotId', 'bot_…') });

export const DATA_DOCS = `Participant data is what chatbots store about a participant, one JSON object per chatbot (pipeline
nodes read and write it, e.g. an intake bot's answers). It is encrypted at rest in the participant's own Durable
Object, may hold up to 256 KB as JSON per chatbot, and is read from that object (the source of truth; a D1 copy
serves lists). It is not the participant's \`data\` field (PUT /api/v1/participants/{platform}/{externalId}): that is
the team-wide profile your integration sends (at most 16 KB, stored in D1, shared by every chatbot and available to
prompts).`;
