/**
 * `npm run bench:scale` counts what a turn asks of the shared services (scripts/bench/scale.ts). With the variable
 * PARLEY_METER=1 (never set in production: wrangler.toml leaves it out) each handler's bindings are wrapped, and every
 * D1 statement, queue send, R2 write and Durable Object request is logged as one `parley-meter {json}` line naming
 * the binding, the caller (`request`, `consumer`, `cron` or the Durable Object class) and, for D1, the rows written
 * as D1 reports them (`meta.rows_written`). Bindings are recognised by shape, so shard bindings are counted too.
 * Without the variable the env is returned untouched: no proxy, no cost.
 */

import { METER_PREFIX, type MeterLine } from './meter-line.ts';

function log(line: MeterLine): void {
  console.log(METER_PREFIX + JSON.stringify(line));
}

const isRead = (sql: string) => /^\s*(select|with|pragma|explain)\b/i.test(sql);

type Bindings = Record<string, unknown>;

/** The env with its shared-service bindings counted, when PARLEY_METER is `1`; else `env` itself. */
export function meteredEnv<E extends object>(env: E, caller: string): E {
  const vars = env as Bindings;
  if (vars.PARLEY_METER !== '1') return env;
  const wrapped: Bindings = {};
  for (const [name, value] of Object.entries(vars)) wrapped[name] = meterBinding(name, value, caller);
  return wrapped as E;
}

function has(value: unknown, ...methods: string[]): boolean {
  return (
    typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Bindings)[m] === 'function')
  );
}

function meterBinding(binding: string, value: unknown, caller: string): unknown {
  if (has(value, 'prepare', 'batch', 'exec')) return meterD1(binding, value as D1Database, caller);
  if (has(value, 'send', 'sendBatch')) return meterQueue(binding, value as Queue, caller);
  if (has(value, 'put', 'head', 'list', 'delete')) return meterR2(binding, value as R2Bucket, caller);
  if (has(value, 'idFromName', 'get')) return meterNamespace(binding, value as DurableObjectNamespace, caller);
  return value;
}

/** Real statements behind the wrappers: `batch` must be handed the runtime's own objects. */
const realStatements = new WeakMap<object, D1PreparedStatement>();

function meterD1(binding: string, db: D1Database, caller: string): D1Database {
  const statement = (real: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const write = !isRead(sql);
    const counted =
      <T>(run: () => Promise<T>) =>
      async (): Promise<T> => {
        const result = await run();
        const meta = (result as { meta?: { rows_written?: number } } | null)?.meta;
        log({
          kind: 'd1',
          binding,
          caller,
          count: 1,
          writes: write ? 1 : 0,
          rowsWritten: meta?.rows_written ?? 0,
        });
        return result;
      };
    const wrapper = new Proxy(real, {
      get(target, key) {
        if (key === 'bind') return (...values: unknown[]) => statement(target.bind(...values), sql);
        if (key === 'run' || key === 'all') return counted(() => target[key]());
        if (key === 'first') return (column?: string) => counted(() => target.first(column as string))();
        if (key === 'raw')
          return (options?: { columnNames?: boolean }) =>
            counted(() => target.raw(options as { columnNames: true }) as Promise<unknown>)();
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    realStatements.set(wrapper, real);
    return wrapper;
  };
  const sqlOf = new WeakMap<D1PreparedStatement, string>();
  return new Proxy(db, {
    get(target, key) {
      if (key === 'prepare')
        return (sql: string) => {
          const real = target.prepare(sql);
          const wrapper = statement(real, sql);
          sqlOf.set(wrapper, sql);
          return wrapper;
        };
      if (key === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          const reals = statements.map((s) => realStatements.get(s) ?? s);
          const results = await target.batch(reals);
          const writes = results.filter((_, i) => {
            const sql = sqlOf.get(statements[i] as D1PreparedStatement);
            return sql === undefined || !isRead(sql);
          }).length;
          const rowsWritten = results.reduce((sum, r) => sum + (r.meta?.rows_written ?? 0), 0);
          log({ kind: 'd1', binding, caller, count: statements.length, writes, rowsWritten });
          return results;
        };
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function meterQueue(binding: string, queue: Queue, caller: string): Queue {
  return new Proxy(queue, {
    get(target, key) {
      if (key === 'send')
        return (body: unknown, options?: QueueSendOptions) => {
          log({ kind: 'queue', binding, caller, count: 1 });
          return target.send(body, options);
        };
      if (key === 'sendBatch')
        return (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
          const all = [...messages];
          log({ kind: 'queue', binding, caller, count: all.length });
          return target.sendBatch(all, options);
        };
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function meterR2(binding: string, bucket: R2Bucket, caller: string): R2Bucket {
  return new Proxy(bucket, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (key === 'put' || key === 'delete' || key === 'createMultipartUpload')
        return (...args: unknown[]) => {
          log({ kind: 'r2', binding, caller, count: 1, op: key });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return value.bind(target);
    },
  });
}

function meterNamespace(binding: string, namespace: DurableObjectNamespace, caller: string): DurableObjectNamespace {
  const stub = (real: DurableObjectStub): DurableObjectStub =>
    new Proxy(real, {
      get(target, key) {
        const value = (target as unknown as Bindings)[key as string];
        if (typeof value !== 'function' || typeof key !== 'string' || key === 'then') return value;
        return (...args: unknown[]) => {
          log({ kind: 'do', binding, caller, count: 1, op: key });
          // Called on the stub itself: an RPC method read off it and re-bound would send `this` along.
          return (target as unknown as Record<string, (...a: unknown[]) => unknown>)[key]?.(...args);
        };
      },
    });
  return new Proxy(namespace, {
    get(target, key) {
      if (key === 'get' || key === 'getByName')
        return (...args: unknown[]) =>
          stub((target[key] as (...a: unknown[]) => DurableObjectStub).apply(target, args as never));
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
