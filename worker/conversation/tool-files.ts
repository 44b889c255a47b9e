/**
 * Files a reply may carry from its tools: the same cap as a user message's attachments (attachmentIds, 4), which
 * also keeps the reply's metadata small and a channel's message under its platforms' per-message media limits.
 *
 * They come only from a tool run's `files` (TurnTool.runWithFiles in worker/tools/tool-source.ts), which only
 * first-party code sets after storing the file under this conversation's R2 prefix itself: a custom action's file
 * download (worker/custom-actions/caller.ts). A tool's output is never read for files, so an MCP server, a plugin or
 * an API answering `{"file": {"fileId": "file_…"}}` with a user's upload id attaches nothing.
 */
export const MAX_REPLY_FILES = 4;
