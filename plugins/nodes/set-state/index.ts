import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { setStateKind } from './set-state.ts';

/** The pipeline node that assigns, appends to, increments or deletes state keys. */
export const setStateNode = definePlugin({
  id: 'set-state',
  kind: 'node',
  displayName: 'Set state',
  description: 'Assigns, appends to, increments or deletes keys of the run, the session state or the participant data.',
  version: '1.0.0',
  // Pure: nothing to configure per team; each node's own settings are in the pipeline.
  settings: z.strictObject({}),
  secrets: [],
  node: setStateKind,
});
