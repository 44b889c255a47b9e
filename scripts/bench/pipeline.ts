/**
 * The pipeline workload of `npm run bench` (issue 14, "Performance"): the same zero-latency offline model behind
 * start → static_router → template → llm → end instead of start → llm → end. The router and the template are real
 * work on every turn (a rule that never matches, a render of the message); the reply is the same 200 tokens, so the
 * difference in time to first token is what the pipeline engine adds. Budget: ≤ 1 ms at 10 conversations, p50.
 */
import { newId } from '../../worker/ids.ts';
import type { PipelineDefinition } from '../../worker/pipelines/definition.ts';
import type { DemoSeed } from '../../worker/seed/demo.ts';
import type { PhaseResult } from './report.ts';

export const PIPELINE_BUDGET = { concurrency: 10, addedFirstTokenP50: 1 } as const;

export function benchPipeline(credentialId: string, model: string): PipelineDefinition {
  return {
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      {
        id: 'route',
        kind: 'static_router',
        // Never matches the benchmark's one-letter words, so every turn takes `main` after checking the rule.
        settings: {
          source: 'input',
          rules: [{ port: 'other', operator: 'contains', value: 'zzz' }],
          defaultPort: 'main',
        },
      },
      // Renders the message unchanged, so the model sees the same question as the single-node chatbot.
      { id: 'render', kind: 'template', settings: { template: '{{ input }}' } },
      {
        id: 'llm',
        kind: 'llm',
        settings: {
          providerId: 'offline',
          credentialId,
          model,
          systemPrompt: 'You are a benchmark assistant. Answer briefly.',
          parameters: {},
          tools: [],
          maxToolSteps: 1,
        },
      },
      { id: 'end', kind: 'end', settings: {} },
    ],
    edges: [
      { from: 'start', to: 'route' },
      { from: 'route', fromPort: 'main', to: 'render' },
      { from: 'route', fromPort: 'other', to: 'render' },
      { from: 'render', to: 'llm' },
      { from: 'llm', to: 'end' },
    ],
    settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
  };
}

type VersionRow = DemoSeed['rows']['chatbotVersions'][number];

/** Adds the published pipeline chatbot on the benchmark's zero-latency credential; returns its id. */
export function addPipelineChatbot(
  rows: DemoSeed['rows'],
  options: { teamId: string; credentialId: string; model: string; now: number },
): string {
  const { teamId, credentialId, model, now } = options;
  const chatbotId = newId('bot', now);
  const versionId = newId('ver', now);
  rows.chatbots.push({
    id: chatbotId,
    teamId,
    slug: 'bench-pipeline',
    name: 'Benchmark pipeline (offline, no delay)',
    description: 'start → static_router → template → llm → end for npm run bench.',
    publishedVersionId: versionId,
    createdAt: now,
    updatedAt: now,
  });
  rows.chatbotVersions.push({
    id: versionId,
    teamId,
    chatbotId,
    number: 1,
    status: 'published',
    note: 'Benchmark pipeline',
    // The rows' column type still says version 1; the stored JSON may be either format (worker/pipelines/definition.ts).
    definition: benchPipeline(credentialId, model) as unknown as VersionRow['definition'],
    createdBy: rows.users[0]?.id ?? null,
    createdAt: now,
  });
  return chatbotId;
}

export interface PipelineComparison {
  single?: PhaseResult;
  /** Sockets opened with `?nodeEvents=true`: every event, node progress included. */
  pipeline?: PhaseResult;
  /** Default sockets: the same turns without node.* frames (node progress is opt-in). */
  quiet?: PhaseResult;
  error?: string;
}

/** The markdown paragraph: both p50s, the difference and the verdict. */
export function renderPipelineSection({ single, pipeline, quiet, error }: PipelineComparison): string {
  const heading = `**Pipeline workload** (start → static_router → template → llm → end vs. start → llm → end, ${PIPELINE_BUDGET.concurrency} conversations, same run, back to back):`;
  if (!single || !pipeline) return `${heading} not measured: ${error ?? 'a phase is missing'}.`;
  const f = (n: number) => n.toFixed(2);
  const row = (name: string, p: PhaseResult) =>
    `| ${name} | ${p.turns} | ${f(p.firstToken.p50)} / ${f(p.firstToken.p95)} / ${f(p.firstToken.p99)} ms | ` +
    `${f(p.lastToken.p50)} ms | ${p.serverCpuMsPerTurn?.toFixed(2) ?? '–'} ms | ${p.workerCpuMsPerTurn?.toFixed(2) ?? '–'} ms |`;
  const verdict = (name: string, p: PhaseResult) => {
    const added = p.firstToken.p50 - single.firstToken.p50;
    const ok = added <= PIPELINE_BUDGET.addedFirstTokenP50;
    return `${ok ? 'met' : '**missed**'} ${name}: the pipeline adds ${f(added)} ms to first token p50 (budget ≤ ${PIPELINE_BUDGET.addedFirstTokenP50} ms)`;
  };
  return [
    heading,
    '',
    '| chatbot | turns | first token p50 / p95 / p99 (t1 − t0) | last token p50 (t2 − t0) | server CPU per turn | workerd CPU per turn |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('single llm node', single),
    ...(quiet ? [row('pipeline, default sockets (no node progress)', quiet)] : []),
    row('pipeline, sockets with `?nodeEvents=true`', pipeline),
    '',
    `**Pipeline budget:** ${[...(quiet ? [verdict('on default sockets', quiet)] : []), verdict('with node progress (`?nodeEvents=true`)', pipeline)].join('; ')}.`,
  ].join('\n');
}
