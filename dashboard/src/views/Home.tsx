import type { AnalyticsOverview } from '../../../worker/analytics/routes.ts';
import { BarChart } from '../components/BarChart';
import { ErrorBanner, Loading, PageHeader } from '../components/feedback';
import { formatNumber, isoDay } from '../lib/format';
import { get, query } from '../lib/http';
import { useResource } from '../lib/resource';
import { href } from '../lib/router';

interface UsageDay {
  date: string;
  chatbotId: string;
  conversations: number;
  messages: { user: number; assistant: number };
  inputTokens: number;
  outputTokens: number;
}

type Overview = AnalyticsOverview;

const DAYS = 30;

/** Every day of the range, with zeros where nothing happened, so the charts have no gaps. */
function perDay(rows: UsageDay[], from: Date) {
  const days = new Map<string, { conversations: number; messages: number; tokens: number }>();
  for (let i = 0; i < DAYS; i++)
    days.set(isoDay(new Date(from.getTime() + i * 86_400_000)), { conversations: 0, messages: 0, tokens: 0 });
  for (const row of rows) {
    const day = days.get(row.date);
    if (!day) continue;
    day.conversations += row.conversations;
    day.messages += row.messages.user + row.messages.assistant;
    day.tokens += row.inputTokens + row.outputTokens;
  }
  return [...days.entries()];
}

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

export function Home() {
  const from = new Date(Date.now() - (DAYS - 1) * 86_400_000);
  const range = { from: isoDay(from), to: isoDay(new Date()) };
  const [state, reload] = useResource(
    (signal) =>
      Promise.all([
        get<{ data: UsageDay[] }>(`/api/v1/usage${query(range)}`, { signal }),
        get<Overview>(`/api/v1/analytics/overview${query(range)}`, { signal }),
      ]),
    [],
  );
  if (state.status === 'loading') return <Loading what="activity" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load activity" error={state.error} onRetry={reload} />;
  const [usage, overview] = state.value;
  const days = perDay(usage.data, from);
  const total = (pick: (d: { conversations: number; messages: number; tokens: number }) => number) =>
    days.reduce((sum, [, d]) => sum + pick(d), 0);
  return (
    <>
      <PageHeader title="Home">
        <span class="muted">Last {DAYS} days</span>
      </PageHeader>
      <div class="stats">
        <div class="stat card">
          <span class="muted">Conversations</span>
          <strong>{formatNumber(total((d) => d.conversations))}</strong>
        </div>
        <div class="stat card">
          <span class="muted">Messages</span>
          <strong>{formatNumber(total((d) => d.messages))}</strong>
        </div>
        <div class="stat card">
          <span class="muted">Tokens used</span>
          <strong>{formatNumber(total((d) => d.tokens))}</strong>
        </div>
        <div class="stat card">
          <span class="muted">Median response time</span>
          <strong>{seconds(overview.responseTimeMs.p50)}</strong>
          <span class="muted small">p95 {seconds(overview.responseTimeMs.p95)}</span>
        </div>
      </div>
      {total((d) => d.conversations) === 0 && (
        <div class="banner notice">
          No conversations yet. <a href={href('chatbots')}>Open a chatbot</a> and try it in the test chat, or embed its
          widget on a page.
        </div>
      )}
      <div class="charts">
        <section class="card">
          <BarChart
            title="Conversations per day"
            bars={days.map(([label, d]) => ({ label, value: d.conversations }))}
          />
        </section>
        <section class="card">
          <BarChart title="Messages per day" bars={days.map(([label, d]) => ({ label, value: d.messages }))} />
        </section>
        <section class="card">
          <BarChart title="Tokens per day" bars={days.map(([label, d]) => ({ label, value: d.tokens }))} />
        </section>
        <section class="card">
          <h2>Conversations by channel</h2>
          {overview.byChannel.length === 0 ? (
            <p class="muted">Nothing yet.</p>
          ) : (
            <div class="table-scroll">
              <table class="table">
                <tbody>
                  {overview.byChannel.map((row) => (
                    <tr key={row.channel}>
                      <th scope="row">{row.channel}</th>
                      <td class="num">{formatNumber(row.conversations)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </>
  );
}
