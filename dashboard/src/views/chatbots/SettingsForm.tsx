import { useState } from 'preact/hooks';
import type { ProviderCredential } from '../../../../worker/credentials/routes.ts';
import { ErrorBanner, Notice } from '../../components/feedback';
import { readSchemaFields } from '../../components/SchemaForm';
import { getAll } from '../../lib/get-all';
import type { ApiError } from '../../lib/http';
import { toApiError, useResource } from '../../lib/resource';
import { can } from '../../lib/session';
import {
  type Chatbot,
  type Definition,
  type JsonSchema,
  type LlmNode,
  llmNodeOf,
  type PluginInfo,
} from '../../lib/types';
import type { PipelineDefinition } from '../pipeline/api-types';
import { ModelPicker, ParameterFields } from './ModelFields';
import { chosenModel } from './model-choice';
import { PipelineSettingsForm } from './PipelineSettingsForm';
import { isPipeline } from './pipeline-settings';
import { saveChatbot } from './save';

type Credential = Pick<ProviderCredential, 'id' | 'providerId' | 'name'>;

/** Variables the system prompt may use; the conversation fills them in on every turn. */
const PROMPT_VARIABLES = [
  '{{participant.name}}',
  '{{participant.data.<key>}}',
  '{{page.url}}',
  '{{page.title}}',
  '{{date}}',
];

interface SettingsFormProps {
  bot: Chatbot;
  providers: PluginInfo[];
  onSaved: (bot: Chatbot) => void;
}

/**
 * The Settings tab. A version 1 draft (start → llm → end) is edited field by field, its model included; a pipeline
 * draft gets only what applies to the whole chatbot (PipelineSettingsForm), so no v1 field can corrupt its graph.
 */
export function SettingsForm(props: SettingsFormProps) {
  const definition = props.bot.draft?.definition as Definition | PipelineDefinition | undefined;
  if (definition && isPipeline(definition))
    return <PipelineSettingsForm bot={props.bot} definition={definition} onSaved={props.onSaved} />;
  return <LlmSettingsForm {...props} />;
}

function LlmSettingsForm({ bot, providers, onSaved }: SettingsFormProps) {
  const definition = bot.draft?.definition as Definition;
  const llm = llmNodeOf(definition) as LlmNode;
  const [providerId, setProviderId] = useState(llm.providerId);
  const [credentialId, setCredentialId] = useState(llm.credentialId ?? '');
  const [model, setModel] = useState(llm.model);
  const [parameterSchema, setParameterSchema] = useState<JsonSchema | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [credentials] = useResource((signal) => getAll<Credential>('/api/v1/credentials', { signal }), []);
  const editable = can('edit');
  const needsCredential = providers.find((p) => p.id === providerId)?.capabilities?.offline !== true;
  const options = credentials.status === 'ready' ? credentials.value.filter((c) => c.providerId === providerId) : [];

  async function submit(event: Event) {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const form = new FormData(element);
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      // Without a schema (still loading, or the provider has none) the saved parameters are kept as they are.
      const parameters = parameterSchema ? readSchemaFields(element, parameterSchema, 'parameters.') : llm.parameters;
      const nextLlm: LlmNode = {
        ...llm,
        providerId,
        credentialId: needsCredential ? credentialId || null : null,
        model: chosenModel(String(form.get('model')), String(form.get('modelOther') ?? '')),
        systemPrompt: String(form.get('systemPrompt')),
        parameters,
      };
      const next: Definition = {
        ...definition,
        nodes: definition.nodes.map((node) => (node.type === 'llm' ? nextLlm : node)),
        settings: {
          ...definition.settings,
          burstPolicy: form.get('burstPolicy') === 'merge' ? 'merge' : 'queue',
          welcomeMessage: String(form.get('welcomeMessage')),
          starterQuestions: String(form.get('starterQuestions'))
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
        },
      };
      onSaved(
        await saveChatbot(bot, {
          name: String(form.get('name')),
          description: String(form.get('description')),
          definition: next,
        }),
      );
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
        <div class="grid-3">
          <label>
            Provider
            <select value={providerId} onChange={(e) => setProviderId((e.target as HTMLSelectElement).value)}>
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName}
                </option>
              ))}
            </select>
          </label>
          {needsCredential && (
            <label>
              Credentials
              <select value={credentialId} onChange={(e) => setCredentialId((e.target as HTMLSelectElement).value)}>
                <option value="">Choose…</option>
                {options.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              {options.length === 0 && (
                <span class="field-hint">
                  No credentials for this provider yet: add them under <a href="#/providers">Providers</a>.
                </span>
              )}
            </label>
          )}
          <ModelPicker
            providerId={providerId}
            credentialId={needsCredential ? credentialId : ''}
            value={llm.model}
            onModel={setModel}
          />
        </div>
        <label>
          System prompt
          <textarea name="systemPrompt" rows={10} maxLength={32_000} value={llm.systemPrompt} />
          <span class="field-hint">
            Variables:{' '}
            {PROMPT_VARIABLES.map((v) => (
              <code key={v}>{v}</code>
            ))}
          </span>
        </label>
        <ParameterFields providerId={providerId} model={model} values={llm.parameters} onSchema={setParameterSchema} />
        <div class="grid-2">
          <label>
            Welcome message
            <textarea name="welcomeMessage" rows={3} maxLength={2000} value={definition.settings.welcomeMessage} />
          </label>
          <label>
            Starter questions (one per line, up to 6)
            <textarea name="starterQuestions" rows={3} value={definition.settings.starterQuestions.join('\n')} />
          </label>
        </div>
        <label>
          When a user sends several messages before the reply
          <select name="burstPolicy" value={definition.settings.burstPolicy}>
            <option value="queue">Answer each message in turn</option>
            <option value="merge">Merge them into one turn</option>
          </select>
        </label>
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
