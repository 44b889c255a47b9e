/**
 * Every control-plane table of `DB` with a `team_id` column, children before the rows they reference, so each page
 * deleted is a plain DELETE (the cascades from `teams` would do it in one unbounded statement). The data-plane tables
 * (worker/db/shard-move.ts DATA_PLANE_TABLES) are purged before these: `conversations` references
 * `chatbot_versions` without a cascade. control-plane-tables.test.ts fails when a migration adds a table with a
 * `team_id` column that is in neither list.
 */
export const CONTROL_PLANE_TABLES = [
  'channel_inbound',
  'channel_threads',
  'channels',
  'widget_keys',
  'api_keys',
  'scheduled_messages',
  'participant_data',
  'participants',
  // Emptied collection by collection first (their index objects and R2 bytes; steps.ts), these hold what is left.
  'knowledge_ingest_batches',
  'knowledge_documents',
  'knowledge_collections',
  'chatbot_versions',
  'chatbots',
  'plugin_configs',
  'mcp_servers',
  'custom_actions',
  'invitations',
  'memberships',
  'audit_log',
] as const;

/** Where a team's objects sit in the `FILES` bucket: every prefix a feature writes under the team's id. */
export function teamBlobPrefixes(teamId: string): string[] {
  return [
    // Conversation files (worker/conversation/message-extras.ts conversationFileKey).
    `teams/${teamId}/`,
    // Knowledge files left by a collection whose row is gone (worker/knowledge/collections/storage-keys.ts).
    `knowledge/${teamId}/`,
    // The message archive (worker/queue/archive-sink.ts archiveKey).
    `archive/${teamId}/`,
    // Sent-email receipts (worker/email/team-email.ts) and the local mail sink (worker/email/local-sink.ts).
    `email-sent/${teamId}/`,
    `dev-email/${teamId}/`,
  ];
}
