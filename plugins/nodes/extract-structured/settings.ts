import { z } from 'zod';
import { extractionFields, extractionTitles, llmCallFields, llmCallTitles, stateKey } from '../../sdk/index.ts';
import { titled } from '../../sdk/titles.ts';

export const extractStructuredSettings = titled(
  z.strictObject({
    ...llmCallFields,
    ...extractionFields,
    key: stateKey.describe('The run key the extracted data is stored under, for later nodes (`temp_state`).'),
  }),
  { ...llmCallTitles, ...extractionTitles, key: 'Run key' },
);

export type ExtractStructuredSettings = z.infer<typeof extractStructuredSettings>;
