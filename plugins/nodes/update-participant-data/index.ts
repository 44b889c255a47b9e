import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { updateParticipantDataKind } from './update.ts';

/** The update-participant-data node kind (docs/pipeline-llm-nodes.md). */
export const updateParticipantDataNode = definePlugin({
  id: 'update-participant-data',
  kind: 'node',
  displayName: 'Update participant data',
  description: "A pipeline node where the model extracts facts into the participant's data, key by key.",
  version: '1.0.0',
  settings: z.object({}),
  secrets: [],
  node: updateParticipantDataKind,
});
