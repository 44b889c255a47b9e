/**
 * The Settings tab of a chatbot whose draft is a pipeline: name, description and what applies to the whole chatbot
 * (pipeline-settings.ts). Models and prompts belong to the nodes (Pipeline tab). Saving reads the current draft
 * first and sends it back with its revision (If-Match), so a graph the Pipeline tab saved meanwhile is kept, never
 * replaced by the copy this page loaded.
 */
import { useState } from 'preact/hooks';
import { ErrorBanner, Notice } from '../../components/feedback';
import { type ApiError, get, patch } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import { href } from '../../lib/router';
import { can } from '../../lib/session';
import type { Chatbot, Definition } from '../../lib/types';
import type { PipelineDefinition } from '../pipeline/api-types';
import {
  applyPipelineSettings,
  isPipeline,
  type PipelineSettingsFields,
  pipelineSettingsFields,
} from './pipeline-settings';

export function PipelineSettingsForm({
  bot,
  definition,
  onSaved,
}: {
  bot: Chatbot;
  definition: PipelineDefinition;
  onSaved: (bot: Chatbot) => void;
}) {
  const initial = pipelineSettingsFields(definition);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const editable = can('edit');

  async function submit(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '');
    const fields: PipelineSettingsFields = {
      burstPolicy: text('burstPolicy') === 'merge' ? 'merge' : 'queue',
      welcomeMessage: text('welcomeMessage'),
      starterQuestions: text('starterQuestions'),
      fallbackReply: text('fallbackReply'),
      maxNodeRuns: text('maxNodeRuns'),
      maxWallSeconds: text('maxWallSeconds'),
    };
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      // The draft as it is now (the Pipeline tab may have saved since this page loaded), not the copy shown here.
      const current = await get<{ definition: Definition | PipelineDefinition; revision?: string }>(
        `/api/v1/chatbots/${encodeURIComponent(bot.id)}/versions/0`,
      );
      if (!isPipeline(current.definition)) throw new Error('The draft is no longer a pipeline: reload the page');
      const next = await patch<Chatbot>(
        `/api/v1/chatbots/${encodeURIComponent(bot.id)}`,
        {
          name: text('name'),
          description: text('description'),
          definition: applyPipelineSettings(current.definition, fields),
        },
        current.revision ? { headers: { 'if-match': current.revision } } : undefined,
      );
      onSaved(next);
      setSaved(true);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form" onSubmit={submit} aria-label="Chatbot settings">
      <fieldset disabled={!editable} class="form">
        <div class="grid-2">
          <label>
            Name
            <input name="name" required maxLength={200} value={bot.name} />
          </label>
          <label>
            Description
            <input name="description" maxLength={2000} value={bot.description} />
          </label>
        </div>
        <Notice>
          This chatbot runs a pipeline: its models, prompts and every node's settings are on the{' '}
          <a href={href('chatbots', bot.id, 'pipeline')}>Pipeline</a> tab. Here are the settings of the whole chatbot.
        </Notice>
        <div class="grid-2">
          <label>
            Welcome message
            <textarea name="welcomeMessage" rows={3} maxLength={2000} value={initial.welcomeMessage} />
          </label>
          <label>
            Starter questions (one per line, up to 6)
            <textarea name="starterQuestions" rows={3} value={initial.starterQuestions} />
          </label>
        </div>
        <label>
          Fallback reply (sent when a node fails; empty: the built-in apology)
          <textarea name="fallbackReply" rows={2} maxLength={2000} value={initial.fallbackReply} />
        </label>
        <div class="grid-3">
          <label>
            When a user sends several messages before the reply
            <select name="burstPolicy" value={initial.burstPolicy}>
              <option value="queue">Answer each message in turn</option>
              <option value="merge">Merge them into one turn</option>
            </select>
          </label>
          <label>
            Most node runs per turn (1–500; empty: 100)
            <input name="maxNodeRuns" type="number" min={1} max={500} step={1} value={initial.maxNodeRuns} />
          </label>
          <label>
            Longest turn in seconds (1–600; empty: 120)
            <input name="maxWallSeconds" type="number" min={1} max={600} step={1} value={initial.maxWallSeconds} />
          </label>
        </div>
        {error && <ErrorBanner title="Couldn't save" error={error} />}
        {saved && <Notice>Draft saved. Publish it under Versions to make it live.</Notice>}
        {editable && (
          <div>
            <button type="submit" class="button primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save draft'}
            </button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
