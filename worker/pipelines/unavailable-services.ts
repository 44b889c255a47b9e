import { NodeError } from '../../plugins/sdk/node/kind.ts';
import type { NodeServices } from '../../plugins/sdk/node/services.ts';
import { systemClock } from '../ports/clock.ts';

const missing = (service: string) => () => {
  throw new NodeError(`${service} is not available to this run`);
};

/** What a run without a host gets (pure pipelines, engine tests): every service refuses, naming itself. */
export function unavailableServices(): NodeServices {
  return {
    conversation: { teamId: '', chatbotId: '', conversationId: '', participantId: null, channel: 'api' },
    llm: { chat: missing('the model') },
    history: {
      conversation: missing('history'),
      named: missing('history'),
      append: missing('history'),
      summary: missing('history'),
      setSummary: missing('history'),
    },
    fetch: missing('fetch'),
    pluginSettings: missing('plugin settings'),
    email: { send: missing('email') },
    sandbox: { run: missing('the code sandbox') },
    clock: systemClock,
    knowledge: { collections: missing('knowledge'), search: missing('knowledge') },
    tools: { call: missing('tools') },
  };
}
