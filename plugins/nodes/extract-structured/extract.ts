import { credentialReferences, DEFAULT_LLM_CALL, DEFAULT_PORT, defineNodeKind, extract } from '../../sdk/index.ts';
import { extractStructuredSettings } from './settings.ts';

export const extractStructuredKind = defineNodeKind({
  id: 'extract_structured',
  displayName: 'Extract structured data',
  description:
    'The model reads the node input (or the latest conversation) and answers JSON valid against a JSON Schema, which is stored in a run key; long text is read in chunks whose answers are merged.',
  settings: extractStructuredSettings,
  defaults: {
    ...DEFAULT_LLM_CALL,
    schema: { type: 'object', properties: { name: { type: 'string', description: "The user's name" } } },
    key: 'extracted',
  },
  inputs: 'the text to read (other values are read as JSON); unused with source conversation',
  output: 'the extracted JSON object, also stored in the run key `key`',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  silent: true,
  references: credentialReferences,
  async run(ctx) {
    const data = await extract(ctx, null);
    ctx.state.set('run', ctx.settings.key, data);
    return data;
  },
});
