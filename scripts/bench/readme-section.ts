/// <reference types="node" />
import { readFile, writeFile } from 'node:fs/promises';

/** Replaces what lies between `<!-- <name>:start -->` and `<!-- <name>:end -->` in a Markdown file. */
export async function writeReadmeSection(path: string, name: string, section: string): Promise<void> {
  const [start, end] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const current = await readFile(path, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from === -1 || to < from) throw new Error(`${path} has no ${start} … ${end} block`);
  await writeFile(path, `${current.slice(0, from + start.length)}\n\n${section}\n\n${current.slice(to)}`);
}
