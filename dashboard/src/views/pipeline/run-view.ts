/** How `node.*` events (worker/pipelines/run-record.ts PipelineEvent) colour the canvas during a test run. */
import type { PipelineEvent } from './api-types';
import type { RunStatus } from './Canvas';

/** A new map with the event applied; a failure that will be retried shows as still running. */
export function applyRunEvent(run: ReadonlyMap<string, RunStatus>, event: PipelineEvent): Map<string, RunStatus> {
  const next = new Map(run);
  switch (event.type) {
    case 'node.started':
      next.set(event.nodeId, 'running');
      break;
    case 'node.completed':
      next.set(event.nodeId, 'completed');
      break;
    case 'node.failed':
      next.set(event.nodeId, event.willRetry ? 'running' : 'failed');
      break;
    case 'node.skipped':
      next.set(event.nodeId, 'skipped');
      break;
  }
  return next;
}
