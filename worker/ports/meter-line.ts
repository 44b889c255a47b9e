/** One counted call, as worker/ports/metered-env.ts logs it and scripts/bench/scale.ts reads it. */
export const METER_PREFIX = 'parley-meter ';

export interface MeterLine {
  kind: 'd1' | 'queue' | 'r2' | 'do';
  binding: string;
  caller: string;
  /** D1: statements in the call (a batch has several); queue: messages sent; R2 and DO: 1. */
  count: number;
  /** D1 only: statements that are not reads (INSERT, UPDATE, DELETE, REPLACE, …), and the rows they wrote. */
  writes?: number;
  rowsWritten?: number;
  /** R2: put / delete; DO: the method called (fetch or an RPC name). */
  op?: string;
}
