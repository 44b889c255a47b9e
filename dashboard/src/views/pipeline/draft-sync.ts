/**
 * Autosave of the draft with a revision token. Each edit is kept in localStorage at once (drafts.ts) and sent
 * `SAVE_DELAY_MS` after typing stops, as `PATCH /api/v1/chatbots/{id}` with `If-Match: <revision>`. The definition
 * it is given carries the node positions (convert.ts withLayout), so a move saves like any other edit. A 409
 * `draft_conflict` (another admin saved since) stops autosave until the user picks "reload" (take theirs) or
 * "overwrite" (save mine over theirs). The server stores a pipeline draft with its problems (`draft.issues`: a route
 * not wired yet, a node not reachable yet), shown on the nodes; publishing refuses it until they are fixed. Only a
 * malformed definition is a 400 `invalid_definition`, shown the same way and retried on the next edit.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, get, patch } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import type { Definition } from '../../lib/types';
import type { DefinitionIssue, PipelineDefinition } from './api-types';
import { asPipeline, normalizeLayout } from './convert';
import { forgetDraft, keepDraft } from './drafts';
import { isIssueList, type PlacedIssues, placeIssues } from './issues';

/** Long enough not to save on every keystroke, short enough that closing the tab rarely finds an unsent edit. */
export const SAVE_DELAY_MS = 800;

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'invalid' | 'conflict' | 'error';

/** The draft as `GET /api/v1/chatbots/{id}/versions/0` answers it; `revision` is the nodesapi draft token. */
export interface DraftVersion {
  definition: Definition | PipelineDefinition;
  revision?: string | number;
  /** The draft's problems (worker/chatbots/api-schemas.ts VersionSchema `issues`). */
  issues?: DefinitionIssue[];
}

/** `PATCH /api/v1/chatbots/{id}` answers the chatbot, whose `draft` carries the new revision and its problems. */
interface SavedChatbot {
  revision?: string | number;
  draft?: { revision?: string | number; issues?: DefinitionIssue[] } | null;
}

const token = (value: string | number | undefined | null) =>
  value === undefined || value === null ? null : String(value);

export const draftPath = (chatbotId: string) => `/api/v1/chatbots/${encodeURIComponent(chatbotId)}/versions/0`;

export async function loadDraft(chatbotId: string, signal?: AbortSignal) {
  const draft = await get<DraftVersion>(draftPath(chatbotId), { signal });
  return {
    definition: normalizeLayout(asPipeline(draft.definition)),
    revision: token(draft.revision),
    issues: draft.issues ?? [],
  };
}

export async function saveDraft(chatbotId: string, definition: PipelineDefinition, revision: string | null) {
  const saved = await patch<SavedChatbot>(
    `/api/v1/chatbots/${encodeURIComponent(chatbotId)}`,
    { definition },
    revision ? { headers: { 'if-match': revision } } : undefined,
  );
  return { revision: token(saved.draft?.revision ?? saved.revision) ?? revision, issues: saved.draft?.issues ?? [] };
}

export interface DraftSync {
  status: SaveStatus;
  error: ApiError | null;
  issues: PlacedIssues | null;
  revision: string | null;
  /** Saves now (the publish button saves first). Resolves true when the server has the definition. */
  flush: () => Promise<boolean>;
  /** Conflict choice: take the server's draft (the caller replaces its graph with it). */
  reload: () => Promise<PipelineDefinition | null>;
  /** Conflict choice: save this definition over the other admin's. */
  overwrite: () => Promise<boolean>;
}

const store = () => globalThis.localStorage;

const placed = (issues: readonly DefinitionIssue[], sent: PipelineDefinition) =>
  issues.length ? placeIssues(issues, sent) : null;

export function useDraftSync(
  chatbotId: string,
  definition: PipelineDefinition,
  initialRevision: string | null,
  /** The definition last known to be on the server, to skip saving what is already saved. */
  initialSaved: PipelineDefinition,
  /** That definition's problems, as the server listed them. */
  initialIssues: readonly DefinitionIssue[] = [],
): DraftSync {
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [error, setError] = useState<ApiError | null>(null);
  const [issues, setIssues] = useState<PlacedIssues | null>(() => placed(initialIssues, initialSaved));
  const revision = useRef(initialRevision);
  const saved = useRef(JSON.stringify(initialSaved));
  const latest = useRef(definition);
  latest.current = definition;
  const blocked = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<Promise<boolean> | null>(null);

  async function send(): Promise<boolean> {
    if (inFlight.current) await inFlight.current;
    const sending = latest.current;
    const json = JSON.stringify(sending);
    if (json === saved.current) {
      setStatus('saved');
      return true;
    }
    setStatus('saving');
    const attempt = (async () => {
      try {
        const answer = await saveDraft(chatbotId, sending, revision.current);
        revision.current = answer.revision;
        saved.current = json;
        setIssues(placed(answer.issues, sending));
        setError(null);
        if (JSON.stringify(latest.current) === json) {
          forgetDraft(store(), chatbotId);
          setStatus('saved');
        } else setStatus('pending');
        return true;
      } catch (caught) {
        const failure = toApiError(caught);
        setError(failure);
        if (failure.status === 409 && failure.code === 'draft_conflict') {
          blocked.current = true;
          setStatus('conflict');
        } else if (failure.status === 400 && isIssueList(failure.details)) {
          setIssues(placeIssues(failure.details, sending));
          setStatus('invalid');
        } else setStatus('error');
        return false;
      }
    })();
    inFlight.current = attempt;
    try {
      return await attempt;
    } finally {
      inFlight.current = null;
    }
  }

  useEffect(() => {
    const json = JSON.stringify(definition);
    if (json === saved.current) {
      // Back to what the server has (an undo of an unsent edit): nothing to send.
      if (!blocked.current && !inFlight.current) {
        forgetDraft(store(), chatbotId);
        setStatus('saved');
      }
      return;
    }
    keepDraft(store(), chatbotId, { definition, baseRevision: revision.current, keptAt: Date.now() });
    if (blocked.current) return;
    setStatus((now) => (now === 'invalid' ? now : 'pending'));
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void send(), SAVE_DELAY_MS);
    return () => clearTimeout(timer.current);
  }, [definition]);

  return {
    status,
    error,
    issues,
    revision: revision.current,
    flush: () => {
      clearTimeout(timer.current);
      return blocked.current ? Promise.resolve(false) : send();
    },
    reload: async () => {
      try {
        const server = await loadDraft(chatbotId);
        revision.current = server.revision;
        saved.current = JSON.stringify(server.definition);
        setIssues(placed(server.issues, server.definition));
        blocked.current = false;
        forgetDraft(store(), chatbotId);
        setStatus('saved');
        setError(null);
        return server.definition;
      } catch (caught) {
        setError(toApiError(caught));
        return null;
      }
    },
    overwrite: async () => {
      try {
        revision.current = (await loadDraft(chatbotId)).revision;
      } catch (caught) {
        setError(toApiError(caught));
        return false;
      }
      blocked.current = false;
      saved.current = '';
      return send();
    },
  };
}
