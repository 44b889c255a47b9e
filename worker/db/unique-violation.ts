/**
 * Whether `error` is SQLite refusing a row that breaks a unique index on `columns` (e.g. `chatbots.team_id,
 * chatbots.slug`). D1 reports it only in the message text, and drizzle wraps that error one level down.
 */
export function isUniqueViolation(error: unknown, columns: string): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e.message.includes(`UNIQUE constraint failed: ${columns}`)) return true;
  }
  return false;
}
