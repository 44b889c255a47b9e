import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { templateKind } from './template.ts';

/** The pipeline node that renders text with a safe Jinja template. */
export const templateNode = definePlugin({
  id: 'template',
  kind: 'node',
  displayName: 'Template',
  description:
    'Renders text from the input and state with Jinja (loops, conditionals, filters; no code execution), with output and loop caps.',
  version: '1.0.0',
  // Pure: nothing to configure per team; each node's own settings are in the pipeline.
  settings: z.strictObject({}),
  secrets: [],
  node: templateKind,
});
