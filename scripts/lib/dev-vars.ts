/// <reference types="node" />
import { existsSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { SecretBox } from '../../worker/security/secrets.ts';

const TEMPLATE = `# Local secrets for \`npm start\` (wrangler dev reads this file). Never commit it.
# Add one LLM key to let the demo chatbot use a real model (then: npm run reset && npm start):
# OPENAI_API_KEY=sk-...
# ANTHROPIC_API_KEY=sk-ant-...
# GEMINI_API_KEY=...
`;

/** Parses `.dev.vars` (dotenv syntax: KEY=VALUE, # comments, optional quotes). */
export function parseDevVars(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match?.[1] || line.trimStart().startsWith('#')) continue;
    variables[match[1]] = (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
  }
  return variables;
}

/**
 * `.dev.vars` is local by definition, so it also says the deployment is local (worker/env.ts): fetches made on a
 * team's behalf may reach 127.0.0.1 (an embedder on localhost, the e2e fakes). `npm start` passes it as `--var`
 * too, but multi-config `wrangler dev` gives `--var` to the first Worker only; the ingestion Worker
 * (wrangler.ingest.toml), which calls embedders, reads it from this file.
 */
const LOCAL_DEPLOYMENT = `
# This is a local deployment: outbound fetches may reach private and loopback addresses. Never set it deployed.
ALLOW_PRIVATE_OUTBOUND=true
`;

/** Reads `.dev.vars`, creating it and generating ENCRYPTION_KEY on the first start. */
export async function ensureDevVars(path: string): Promise<Record<string, string>> {
  if (!existsSync(path)) await writeFile(path, TEMPLATE, { mode: 0o600 });
  let variables = parseDevVars(await readFile(path, 'utf8'));
  if (!variables.ENCRYPTION_KEY) {
    await appendFile(
      path,
      `\n# AES-GCM key for secrets at rest, generated on first start. Losing it loses stored secrets.\nENCRYPTION_KEY=${SecretBox.generateKey()}\n`,
    );
    variables = parseDevVars(await readFile(path, 'utf8'));
  }
  if (!variables.ALLOW_PRIVATE_OUTBOUND) {
    await appendFile(path, LOCAL_DEPLOYMENT);
    variables = parseDevVars(await readFile(path, 'utf8'));
  }
  return variables;
}
