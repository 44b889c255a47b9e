import { z } from 'zod';
import { extractionFields, extractionTitles, llmCallFields, llmCallTitles, stateKey } from '../../sdk/index.ts';
import { titled } from '../../sdk/titles.ts';

export const updateParticipantDataSettings = titled(z.strictObject({ ...llmCallFields, ...extractionFields }), {
  ...llmCallTitles,
  ...extractionTitles,
}).superRefine((settings, ctx) => {
  // Each top-level property becomes a participant-data key, so it must be a valid state key.
  const properties = settings.schema.properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return;
  for (const name of Object.keys(properties)) {
    if (!stateKey.safeParse(name).success) {
      ctx.addIssue({
        code: 'custom',
        path: ['schema', 'properties', name],
        message: 'a participant-data key: letters, digits, _ . - (at most 100)',
      });
    }
  }
});

export type UpdateParticipantDataSettings = z.infer<typeof updateParticipantDataSettings>;
