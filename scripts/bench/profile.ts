/// <reference types="node" />
/**
 * `npm run bench -- --profile`: a V8 CPU profile of the Worker's isolate (the Worker, every Durable Object and the
 * queue consumer share it) through wrangler's DevTools inspector, and the functions that took the most time. Open the
 * `.cpuprofile` file in Chrome DevTools (Performance → Load profile) for the whole picture.
 */
import { writeFile } from 'node:fs/promises';
import WebSocket from 'ws';

const CALL_TIMEOUT_MS = 30_000;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Profiler {
  start(): Promise<void>;
  /** Stops, writes the profile to `path` and returns a short summary. */
  stop(path: string): Promise<string>;
  close(): void;
}

export async function connectProfiler(inspectorPort: number): Promise<Profiler> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error('the inspector lists no target');
  const socket = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((resolveOpen, reject) => {
    socket.once('open', resolveOpen);
    socket.once('error', reject);
  });
  let nextId = 0;
  const pending = new Map<number, { method: string; resolve: (message: Record<string, unknown>) => void }>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: unknown };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    // wrangler's inspector proxy echoes commands back; only Profiler.stop needs the runtime's real answer.
    if (waiter.method === 'Profiler.stop' && message.result === undefined && message.error === undefined) return;
    pending.delete(message.id as number);
    waiter.resolve(message);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolveCall, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => reject(new Error(`inspector: ${method} timed out`)), CALL_TIMEOUT_MS);
      pending.set(id, {
        method,
        resolve: (message) => {
          clearTimeout(timer);
          resolveCall(message);
        },
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    async start() {
      await call('Profiler.enable');
      await call('Profiler.setSamplingInterval', { interval: 250 });
      await call('Profiler.start');
    },
    async stop(path) {
      const answer = (await call('Profiler.stop')) as { result?: { profile?: CpuProfile } };
      const profile = answer.result?.profile;
      if (!profile) throw new Error('inspector: Profiler.stop returned no profile');
      await writeFile(path, JSON.stringify(profile));
      return summarizeProfile(profile);
    },
    close: () => socket.close(),
  };
}

/** Busy share of the isolate and the functions with the most inclusive time (each counted once per stack). */
export function summarizeProfile(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (node: ProfileNode) =>
    `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop() ?? ''}:${node.callFrame.lineNumber + 1}`;
  const selfTime = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, time] of selfTime) {
    total += time;
    const node = byId.get(id);
    if (node?.callFrame.functionName === '(idle)') idle += time;
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current);
      if (!frame || frame.callFrame.functionName === '(root)') continue;
      const key = name(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + time);
    }
  }
  const msOf = (us: number) => (us / 1000).toFixed(1);
  const lines = [`isolate busy ${msOf(total - idle)} ms of ${msOf(total)} ms sampled`];
  for (const [key, time] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`${msOf(time).padStart(9)} ms ${((100 * time) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
  return lines.join('\n');
}
