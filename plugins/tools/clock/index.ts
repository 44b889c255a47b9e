import { definePlugin } from '../../sdk/index.ts';
import { clockSettings, currentTime } from './current-time.ts';

/** Tells the model the current date and time, which it cannot know from its training data. */
export const clockTool = definePlugin({
  id: 'clock',
  kind: 'tool',
  displayName: 'Clock',
  description: 'Lets the assistant look up the current date, time and weekday in any IANA time zone.',
  version: '1.0.0',
  settings: clockSettings,
  secrets: [],
  functions: [currentTime],
});
