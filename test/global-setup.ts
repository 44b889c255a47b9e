import { readdir } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';

/**
 * Starts the fake external services (LLM providers, messaging platforms) as real HTTP servers on loopback, in Node,
 * before any test runs. A plugin's fake lives in its own folder as `plugins/<kind>s/<id>/fake/server.ts` and exports
 * `name` and `start()`; tests read the URLs with `inject('fakeServers')` and point the official SDKs at them.
 */
interface FakeServerModule {
  name: string;
  start(): Promise<{ url: string; close(): Promise<void> }>;
}

export default async function setup(project: TestProject) {
  const urls: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];
  for (const file of await fakeServerFiles()) {
    const fake = (await import(file.href)) as FakeServerModule;
    const server = await fake.start();
    urls[fake.name] = server.url;
    closers.push(server.close);
  }
  project.provide('fakeServers', urls);
  return async () => {
    await Promise.all(closers.map((close) => close()));
  };
}

/** Every `plugins/<kind>s/<id>/fake/server.ts`, in a stable order. */
async function fakeServerFiles(): Promise<URL[]> {
  const plugins = new URL('../plugins/', import.meta.url);
  const files: URL[] = [];
  for (const kind of await readdir(plugins, { withFileTypes: true })) {
    if (!kind.isDirectory() || kind.name === 'sdk') continue;
    for (const plugin of await readdir(new URL(`${kind.name}/`, plugins), { withFileTypes: true })) {
      const fake = new URL(`${kind.name}/${plugin.name}/fake/`, plugins);
      if (plugin.isDirectory() && (await readdir(fake).catch(() => [])).includes('server.ts'))
        files.push(new URL('server.ts', fake));
    }
  }
  // Fakes of services a worker feature (not a plugin) talks to: the MCP server of worker/mcp, the OpenAPI service
  // and OAuth token endpoint of worker/custom-actions, the webhook receiver of worker/events.
  files.push(new URL('../worker/mcp/fake/server.ts', import.meta.url));
  files.push(new URL('../worker/events/fake/server.ts', import.meta.url));
  files.push(new URL('../worker/custom-actions/fake/server.ts', import.meta.url));
  return files.sort((a, b) => (a.href < b.href ? -1 : 1));
}
