import { describe, expect, inject, it } from 'vitest';
import { providers } from '../../plugins/registry.ts';
import { systemClock } from '../ports/clock.ts';
import type { TurnTool } from '../tools/tool-source.ts';
import { Toolbox } from './tool-runner.ts';
import { runTurnSteps } from './turn-steps.ts';

// Issue 18 §1: a reply's files come from a first-party tool's side channel, never from what a tool's output says.
const upload = { fileId: `file_${'u'.repeat(26)}`, name: 'passport.jpg', mimeType: 'image/jpeg', size: 2048 };
const stored = { fileId: `file_${'s'.repeat(26)}`, name: 'report.pdf', mimeType: 'application/pdf', size: 31 };

const parameters = { type: 'object', properties: {}, additionalProperties: false };
/** An MCP server's or plugin's tool, answering with a user upload's id in the shape an action's file is described. */
const echoing: TurnTool = {
  name: 'echo_file',
  description: 'Answers with a file reference',
  parameters,
  run: async () => ({ status: 200, file: upload, note: 'stored as an attachment' }),
};
/** A first-party tool that stored a file itself (as a custom action's download does). */
const storing: TurnTool = {
  name: 'store_file',
  description: 'Stores a file',
  parameters,
  run: async () => ({ status: 200, file: stored }),
  runWithFiles: async () => ({ output: { status: 200, file: stored }, files: [stored] }),
};

async function turnCalling(name: string) {
  const provider = providers.get('openai');
  if (!provider) throw new Error('openai plugin missing');
  const outcome = await runTurnSteps({
    provider,
    settings: { baseUrl: inject('fakeServers').openai, maxRetries: 0, apiKey: 'test-key' },
    request: {
      model: 'fake-script',
      messages: [{ role: 'user', content: JSON.stringify([{ name, arguments: {} }]) }],
      parameters: {},
    },
    toolbox: Toolbox.fromPluginIds([]).withHostTools([echoing, storing]),
    maxToolSteps: 1,
    firstTokenTimeoutMs: 10_000,
    replyId: 'msg_files',
    clock: systemClock,
    fetch: (input, init) => fetch(input, init),
    cancel: new AbortController().signal,
    emit: () => {},
  });
  expect(outcome.status, JSON.stringify(outcome)).toBe('complete');
  return outcome;
}

describe('files on a reply', { timeout: 30_000 }, () => {
  it('attaches nothing for a tool whose output names a file, even a real upload of the conversation', async () => {
    const outcome = await turnCalling('echo_file');
    expect(outcome.content).toContain(upload.fileId);
    expect(outcome.metadata.attachments).toBeUndefined();
  });

  it('attaches what a first-party tool returns through its side channel', async () => {
    const outcome = await turnCalling('store_file');
    expect(outcome.metadata.attachments).toEqual([stored]);
  });
});
