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
  return variables;
}
