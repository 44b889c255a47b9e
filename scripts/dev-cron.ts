/**
 * `wrangler dev` never fires Cron Triggers on its own (developers.cloudflare.com/workers/configuration/cron-triggers,
 * "Test Cron Triggers locally"): at the start of every minute this asks the local Worker to run each of
 * wrangler.toml's crons whose minute field matches, through `/cdn-cgi/handler/scheduled` (measured to answer 200 in
 * wrangler 4.86 without --test-scheduled; research §4). Supports the minute forms used there: `*` and `*\/N`.
 */
export function cronMatchesMinute(cron: string, minute: number): boolean {
  const field = cron.trim().split(/\s+/)[0] ?? '*';
  if (field === '*') return true;
  const step = /^\*\/(\d+)$/.exec(field);
  if (step) return minute % Number(step[1]) === 0;
  return field.split(',').some((value) => Number(value) === minute);
}

/** The `crons = [...]` of a wrangler.toml. */
export function cronsOf(toml: string): string[] {
  const line = /^crons\s*=\s*\[([^\]]*)\]/m.exec(toml);
  return line ? [...(line[1] ?? '').matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '') : [];
}

/** Fires the matching crons at each minute boundary until stopped; returns the stop function. */
export function startLocalCron(port: number, crons: readonly string[]): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    const now = new Date();
    for (const cron of crons.filter((c) => cronMatchesMinute(c, now.getUTCMinutes()))) {
      const url = `http://127.0.0.1:${port}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}`;
      fetch(url).catch((error: unknown) => console.warn(`local cron ${cron} failed: ${String(error)}`));
    }
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(tick, 60_000 - (Date.now() % 60_000));
  };
  schedule();
  return () => clearTimeout(timer);
}
