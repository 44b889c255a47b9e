/// <reference types="node" />
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { root } from '../build-ui.ts';

/** Runs the project's wrangler non-interactively (CI=1 skips its confirmation prompts) and returns stdout. */
export function wrangler(args: readonly string[], options: { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(resolve(root, 'node_modules/.bin/wrangler'), args, {
      cwd: root,
      env: { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (!options.quiet) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise(stdout)
        : reject(new Error(`wrangler ${args.join(' ')} failed (${code}):\n${stderr || stdout}`)),
    );
  });
}

/** One read-only query against the local D1, parsed from wrangler's --json output. */
export async function d1Query<Row>(sql: string): Promise<Row[]> {
  const output = await wrangler(['d1', 'execute', 'DB', '--local', '--json', '--command', sql], { quiet: true });
  const parsed = JSON.parse(output) as { results: Row[] }[];
  return parsed[0]?.results ?? [];
}
