import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { staticRouterKind } from './static-router.ts';

/** The pipeline node that routes on a value by rules, with a default route. */
export const staticRouterNode = definePlugin({
  id: 'static-router',
  kind: 'node',
  displayName: 'Static router',
  description:
    'Routes a pipeline on a value (input, run key, session state or participant data) by equals, contains, regex, one-of or number rules.',
  version: '1.0.0',
  // Pure: nothing to configure per team; each node's own settings are in the pipeline.
  settings: z.strictObject({}),
  secrets: [],
  node: staticRouterKind,
});
