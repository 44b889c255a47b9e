import { readdir } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';

/**
 * Starts the fake external services (LLM providers, later messaging platforms) as real HTTP servers on loopback,
 * in Node, before any test runs. Each `test/fakes/*.server.ts` exports `name` and `start()`; tests read the URLs
 * with `inject('fakeServers')` and point the official SDKs at them.
 */
interface FakeServerModule {
  name: string;
  start(): Promise<{ url: string; close(): Promise<void> }>;
}

export default async function setup(project: TestProject) {
  const directory = new URL('./fakes/', import.meta.url);
  const files = (await readdir(directory)).filter((file) => file.endsWith('.server.ts')).sort();
  const urls: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];
  for (const file of files) {
    const fake = (await import(new URL(file, directory).href)) as FakeServerModule;
    const server = await fake.start();
    urls[fake.name] = server.url;
    closers.push(server.close);
  }
  project.provide('fakeServers', urls);
  return async () => {
    await Promise.all(closers.map((close) => close()));
  };
}
