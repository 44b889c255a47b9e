/// <reference types="node" />
/**
 * `npm run bench:lists`: every list endpoint the dashboard uses, against a team with 10,000 conversations (issue
 * budget: p95 ≤ 50 ms locally, cursor-paginated). Seeds the bench team (scripts/bench/seed.ts) plus 10,000
 * conversations, 2,000 participants, 20,000 messages, 1,000 conversation tags and 2,000 message tags (50
 * distinct labels) straight into local D1, starts Parley on
 * `wrangler dev`, then times sequential GETs of each endpoint (first page, a deep page by cursor, filters) and
 * rewrites the list section of bench/README.md (`--no-write`: print only).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { root } from '../build-ui.ts';
import { wrangler } from '../lib/wrangler.ts';
import { startParley } from './parley.ts';
import { writeReadmeSection } from './readme-section.ts';
import { bundleWorker, runBench, stopAll } from './server.ts';
import { ms, type Summary, summarize } from './stats.ts';

const WRITE = !process.argv.includes('--no-write');
const CONVERSATIONS = 10_000;
const PARTICIPANTS = 2_000;
const TAGGED = 1_000;
/** Every fifth reply carries a reviewer's label, one of 50: the tag filter and GET /api/v1/tags read both tables. */
const MESSAGE_TAGGED_EVERY = 5;
const MESSAGE_LABELS = 50;
const SAMPLES = 100;
const WARMUP = 10;
const BUDGET_P95_MS = 50;
const MAX_RUN_MS = 10 * 60_000;
// D1 statements are at most 100 KB (platform limits): rows go in batches well under it.
const ROWS_PER_INSERT = 200;

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
const id = (prefix: string, n: number) => `${prefix}_bench${String(n).padStart(8, '0')}`;

function inserts(table: string, columns: string[], rows: string[][]): string[] {
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const values = rows.slice(i, i + ROWS_PER_INSERT).map((row) => `(${row.join(',')})`);
    statements.push(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${values.join(',')};`);
  }
  return statements;
}

/** The bulk of a busy team: conversations over 90 days, each with a question and an answer, some tagged. */
function bulkSql(teamId: string, chatbotId: string, versionId: string, now: number): string {
  const day = 86_400_000;
  const participants = Array.from({ length: PARTICIPANTS }, (_, n) => [
    quote(id('ptc', n)),
    quote(teamId),
    quote(n % 2 ? 'widget' : 'api'),
    quote(`visitor-${n}`),
    quote(`Visitor ${n}`),
    quote('{}'),
    String(now - n * 1000),
    String(now - n * 1000),
  ]);
  const conversations: string[][] = [];
  const messages: string[][] = [];
  const tags: string[][] = [];
  const messageTags: string[][] = [];
  for (let n = 0; n < CONVERSATIONS; n++) {
    const createdAt = now - Math.floor((n / CONVERSATIONS) * 90 * day);
    const conversation = id('conv', n);
    conversations.push([
      quote(conversation),
      quote(teamId),
      quote(chatbotId),
      quote(versionId),
      quote(id('ptc', n % PARTICIPANTS)),
      quote(n % 7 ? 'active' : 'ended'),
      '2',
      String(createdAt + 2000),
      String(createdAt),
      String(createdAt),
    ]);
    for (const [position, role] of [
      [1, 'user'],
      [2, 'assistant'],
    ] as const) {
      const metadata = role === 'assistant' && n % 10 === 0 ? '{"feedback":{"rating":"up","at":1}}' : '{}';
      messages.push([
        quote(conversation),
        quote(`msg_${position}`),
        quote(teamId),
        quote(chatbotId),
        String(position),
        quote(role),
        quote(role === 'user' ? 'Where is my order?' : 'It ships tomorrow.'),
        quote('complete'),
        quote(metadata),
        role === 'assistant' ? '40' : 'NULL',
        role === 'assistant' ? '12' : 'NULL',
        String(createdAt + position * 500),
        String(createdAt + position * 900),
      ]);
    }
    if (n % (CONVERSATIONS / TAGGED) === 0)
      tags.push([quote(teamId), quote(conversation), quote('vip'), String(createdAt)]);
    if (n % MESSAGE_TAGGED_EVERY === 0) {
      const label = `label-${String((n / MESSAGE_TAGGED_EVERY) % MESSAGE_LABELS).padStart(2, '0')}`;
      messageTags.push([quote(teamId), quote(conversation), quote('msg_2'), quote(label), String(createdAt)]);
    }
  }
  return [
    ...inserts(
      'participants',
      ['id', 'team_id', 'platform', 'external_id', 'name', 'data', 'created_at', 'updated_at'],
      participants,
    ),
    ...inserts(
      'conversations',
      [
        'id',
        'team_id',
        'chatbot_id',
        'chatbot_version_id',
        'participant_id',
        'status',
        'message_count',
        'last_message_at',
        'created_at',
        'updated_at',
      ],
      conversations,
    ),
    ...inserts(
      'messages',
      [
        'conversation_id',
        'id',
        'team_id',
        'chatbot_id',
        'position',
        'role',
        'content',
        'status',
        'metadata',
        'input_tokens',
        'output_tokens',
        'created_at',
        'completed_at',
      ],
      messages,
    ),
    ...inserts('conversation_tags', ['team_id', 'conversation_id', 'tag', 'created_at'], tags),
    ...inserts('message_tags', ['team_id', 'conversation_id', 'message_id', 'tag', 'created_at'], messageTags),
  ].join('\n');
}

async function get(origin: string, apiKey: string, path: string): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const res = await fetch(`${origin}${path}`, {
    headers: { authorization: `Bearer ${apiKey}` },
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as unknown;
  const elapsed = performance.now() - started;
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`);
  return { ms: elapsed, body };
}

async function main() {
  const stateDir = resolve(root, '.wrangler/bench-lists-state');
  await rm(stateDir, { recursive: true, force: true });
  await mkdir(stateDir, { recursive: true });
  const bundle = await bundleWorker(resolve(root, 'wrangler.toml'), resolve(stateDir, 'bundle'));
  // Thousands of requests from one key within a minute: the per-key rate limit (600/min) would answer 429.
  const { server, seed } = await startParley(stateDir, bundle, resolve(root, 'wrangler.toml'), {
    RATE_LIMIT_PER_KEY: '1000000',
  });
  try {
    const version = (await get(server.origin, seed.apiKey, `/api/v1/chatbots/${seed.chatbotId}/versions/1`)).body as {
      id: string;
    };
    const bulkPath = resolve(stateDir, 'bulk.sql');
    await writeFile(bulkPath, bulkSql(seed.teamId, seed.chatbotId, version.id, Date.now()));
    await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--file', bulkPath], { quiet: true });
    // A deep page: the cursor after 50 pages of 100.
    let cursor = '';
    for (let page = 0; page < 50; page++) {
      const { body } = await get(
        server.origin,
        seed.apiKey,
        `/api/v1/conversations?limit=100${cursor && `&cursor=${cursor}`}`,
      );
      cursor = encodeURIComponent((body as { nextCursor: string }).nextCursor);
    }
    const endpoints: [string, string][] = [
      ['conversations, first page', '/api/v1/conversations'],
      ['conversations, page 51 (cursor)', `/api/v1/conversations?limit=100&cursor=${cursor}`],
      ['conversations by chatbot', `/api/v1/conversations?chatbotId=${seed.chatbotId}`],
      ['conversations by status', '/api/v1/conversations?status=ended'],
      ['conversations by tag', '/api/v1/conversations?tag=vip'],
      ['conversations by a message tag', '/api/v1/conversations?tag=label-07'],
      ['conversations by rating', '/api/v1/conversations?rating=up'],
      ['conversations by participant', `/api/v1/conversations?participantId=${id('ptc', 7)}`],
      ['conversations by date range', '/api/v1/conversations?from=2026-01-01&to=2026-12-31'],
      ['participants', '/api/v1/participants'],
      ['participant’s conversations', `/api/v1/participants/${id('ptc', 7)}/conversations`],
      ['chatbots', '/api/v1/chatbots'],
      ['channels', '/api/v1/channels'],
      ['credentials', '/api/v1/credentials'],
      ['API keys', '/api/v1/api-keys'],
      ['members', '/api/v1/members'],
      ['invitations', '/api/v1/invitations'],
      ['widget keys', `/api/v1/chatbots/${seed.chatbotId}/widget-keys`],
      ['audit log', '/api/v1/audit-log'],
      ['usage (30 days)', '/api/v1/usage'],
      ['analytics overview (30 days)', '/api/v1/analytics/overview'],
      ['tags in use', '/api/v1/tags?limit=100'],
    ];
    const rows: [string, Summary][] = [];
    for (const [label, path] of endpoints) {
      for (let i = 0; i < WARMUP; i++) await get(server.origin, seed.apiKey, path);
      const samples: number[] = [];
      for (let i = 0; i < SAMPLES; i++) samples.push((await get(server.origin, seed.apiKey, path)).ms);
      rows.push([label, summarize(samples)]);
      console.error(`${label}: p95 ${ms(summarize(samples).p95)} ms`);
    }
    const worst = Math.max(...rows.map(([, s]) => s.p95));
    const section = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)} at the end; ${CONVERSATIONS.toLocaleString('en')} conversations, ${PARTICIPANTS.toLocaleString('en')} participants, ${(CONVERSATIONS * 2).toLocaleString('en')} messages, ${TAGGED.toLocaleString('en')} conversation tags, ${(CONVERSATIONS / MESSAGE_TAGGED_EVERY).toLocaleString('en')} message tags; ${SAMPLES} sequential requests per endpoint after ${WARMUP} warm-up, default page size 25.`,
      '',
      '| Endpoint | p50 ms | p95 ms | p99 ms | max ms |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...rows.map(([label, s]) => `| ${label} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`),
      '',
      `Worst p95 ${ms(worst)} ms: ${worst <= BUDGET_P95_MS ? 'within' : '**over**'} the ${BUDGET_P95_MS} ms budget.`,
    ].join('\n');
    console.log(section);
    if (WRITE) await writeReadmeSection(resolve(root, 'bench/README.md'), 'bench:lists', section);
  } finally {
    await stopAll();
  }
}

runBench('bench:lists', main, MAX_RUN_MS);
