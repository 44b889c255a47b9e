import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations that `wrangler d1 migrations apply` runs (locally on every start).
export default defineConfig({
  dialect: 'sqlite',
  schema: './worker/db/schema/index.ts',
  out: './migrations',
});
