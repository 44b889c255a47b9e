/// <reference types="node" />
/**
 * Writes each chatbot template's definition, and the triage bot's scoring code, into docs/pipeline-templates.md
 * between its markers, so the worked examples are always the shipped templates. `--check` only compares (the unit
 * test worker/chatbot-templates/docs.unit.test.ts does the same). Usage: `tsx scripts/template-docs.ts [--check]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderTemplateDocs } from '../worker/chatbot-templates/docs.ts';

const TEMPLATE_DOCS = resolve(import.meta.dirname, '../docs/pipeline-templates.md');
const current = readFileSync(TEMPLATE_DOCS, 'utf8');
const next = renderTemplateDocs(current);
if (process.argv.includes('--check')) {
  if (next !== current) throw new Error('docs/pipeline-templates.md is stale: run tsx scripts/template-docs.ts');
} else writeFileSync(TEMPLATE_DOCS, next);
