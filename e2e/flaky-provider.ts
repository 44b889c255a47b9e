/// <reference types="node" />
/**
 * An OpenAI-compatible server the e2e run can break on demand: it forwards to the fake OpenAI API of the unit tests
 * (plugins/providers/openai/fake/server.ts, which streams the real wire format) unless `failing` is set, in which case every
 * chat completion gets the 400 the real API gives to a bad request, which ends the turn with a stored error.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { start as startFakeOpenAI } from '../plugins/providers/openai/fake/server.ts';

export interface FlakyProvider {
  /** Base URL for the provider settings (ends in /v1). */
  url: string;
  failing: boolean;
  /** Chat completion requests received, failed or not. */
  completions: number;
  close(): Promise<void>;
}

export async function startFlakyProvider(): Promise<FlakyProvider> {
  const upstream = await startFakeOpenAI();
  const state = { failing: false, completions: 0 };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    if (path.endsWith('/chat/completions')) state.completions++;
    if (state.failing && path.endsWith('/chat/completions')) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: 'The e2e run broke this provider on purpose.', type: 'invalid_request_error', code: null },
        }),
      );
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'openai-organization']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await fetch(`${upstream.url}${path.replace(/^\/v1/, '')}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    // Stream through, frame by frame, so the widget sees the reply arrive token by token.
    const reader = answer.body?.getReader();
    for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) res.write(part.value);
    res.end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    get completions() {
      return state.completions;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      await upstream.close();
    },
  };
}
