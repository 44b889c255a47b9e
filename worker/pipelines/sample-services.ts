import type { SandboxResult } from '../../plugins/sdk/node/sandbox.ts';
import type { NodeServices } from '../../plugins/sdk/node/services.ts';
import { codeSandbox } from '../code-sandbox/index.ts';
import { RunKnowledge } from '../conversation/pipeline-knowledge.ts';
import type { Env } from '../env.ts';
import { openConfigsOf } from '../plugin-configs/store.ts';
import { systemClock } from '../ports/clock.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import { NodeError } from './node-kind.ts';

/**
 * What a node gets in a sample run (POST /api/v1/pipelines/nodes/run): the conversation's services with every side
 * effect taken out. HTTP goes through the same outbound guard as a conversation's (private addresses refused
 * unless ALLOW_PRIVATE_OUTBOUND), the code sandbox is the deployment's, the plugin's team settings are the team's;
 * email is recorded in the logs instead of sent; history is empty and its writes dropped; the model is refused
 * (a sample run costs nothing and calls no provider: `modelRequested` tells the route to answer 400).
 */
export interface SampleServices {
  services: NodeServices;
  /** Console output of the code sandbox and a line per HTTP request and per email not sent, in order. */
  logs: string[];
  /** The node asked for a model call (refused). */
  readonly modelRequested: boolean;
}

export interface SampleHost {
  env: Env;
  teamId: string;
  chatbotId: string | null;
  /** The plugin that brings the kind (undefined for start and end). */
  pluginId: string | undefined;
  /** The collections the sampled node references: the only ones its knowledge searches may read. */
  collectionIds?: readonly string[];
}

// The sandbox keeps every console line; a sample shows the last ones (a loop logging each step stays readable).
const MAX_LOG_LINES = 200;
const MAX_LOG_CHARS = 2_000;

export function sampleServices(host: SampleHost): SampleServices {
  const logs: string[] = [];
  const log = (line: string) => {
    logs.push(line.length > MAX_LOG_CHARS ? `${line.slice(0, MAX_LOG_CHARS)}…` : line);
    if (logs.length > MAX_LOG_LINES) logs.shift();
  };
  let modelRequested = false;
  const guarded = outboundFetch(host.env);
  const sandbox = codeSandbox(host.env);
  const services: NodeServices = {
    conversation: {
      teamId: host.teamId,
      chatbotId: host.chatbotId ?? '',
      conversationId: '',
      participantId: null,
      channel: 'dashboard',
    },
    llm: {
      chat: () => {
        modelRequested = true;
        throw new NodeError('a sample run calls no model', false);
      },
    },
    history: {
      conversation: async () => [],
      named: async () => [],
      append: () => {},
      summary: async () => null,
      setSummary: () => {},
    },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      // Origin and path only: a templated query string may carry a secret from the plugin's settings.
      const url = new URL(request.url);
      const target = `${request.method} ${url.origin}${url.pathname}`;
      try {
        const response = await guarded(request);
        log(`http: ${target} → ${response.status}`);
        return response;
      } catch (error) {
        log(`http: ${target} failed: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
    },
    pluginSettings: async () => {
      if (!host.pluginId) return null;
      return (await openConfigsOf(host.env, host.teamId, 'node', [host.pluginId])).get(host.pluginId) ?? null;
    },
    email: {
      send: async (message) => {
        log(`email not sent (sample run): to ${message.to.join(', ')}, subject “${message.subject}”`);
        return { id: 'sample-run' };
      },
    },
    sandbox: {
      run: async (request) => {
        const result: SandboxResult = await sandbox.run(request);
        for (const line of result.logs) log(line);
        return result;
      },
    },
    clock: systemClock,
    // Read-only, so a sample searches for real: the team's collections at their published revision (no pins).
    knowledge: new RunKnowledge({ env: host.env, teamId: host.teamId, referenced: host.collectionIds ?? [] }),
    tools: {
      // A tool may write (a reminder, participant data, a remote API): a sample run must change nothing.
      call: async () => {
        throw new NodeError('a sample run calls no tool', false);
      },
    },
  };
  return {
    services,
    logs,
    get modelRequested() {
      return modelRequested;
    },
  };
}
