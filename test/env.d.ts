import type { D1Migration } from 'cloudflare:test';
import type { Env } from '../worker/env.ts';

declare global {
  namespace Cloudflare {
    interface Env extends ParleyTestEnv {}
  }
  interface ParleyTestEnv extends Env {
    TEST_MIGRATIONS: D1Migration[];
  }
}
