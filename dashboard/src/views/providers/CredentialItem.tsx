/** One of the team's provider credentials: what is stored (never the secrets), test connection, its models, delete. */
import { useState } from 'preact/hooks';
import type { ProviderCredential } from '../../../../worker/credentials/routes.ts';
import { ErrorBanner, Notice } from '../../components/feedback';
import { type ConnectionTestResult, connectionTestOutcome } from '../../lib/connection-test';
import { formatRelative } from '../../lib/format';
import { del, post } from '../../lib/http';
import { can } from '../../lib/session';
import type { PluginInfo } from '../../lib/types';
import { useAction } from '../../lib/use-action';
import { AddCredential } from './AddCredential';
import { ModelList, ModelsButton } from './ModelList';

export type Credential = ProviderCredential;

export function CredentialItem({
  credential,
  provider,
  onDeleted,
  onSaved,
}: {
  credential: Credential;
  provider: PluginInfo;
  onDeleted: () => void;
  onSaved: () => void;
}) {
  const [editing, setEditing] = useState(false);
  // Two runners, so the Test button says "Testing…" only while a test runs, not while a delete does.
  const test = useAction();
  const removal = useAction();
  const [showModels, setShowModels] = useState(false);
  const modelsId = `models-${credential.id}`;

  async function testConnection() {
    let message = '';
    const ok = await test.run(async () => {
      const outcome = connectionTestOutcome(
        await post<ConnectionTestResult>(`/api/v1/credentials/${credential.id}/test`),
      );
      // A refusal throws, so run() shows it as an error banner (role=alert), not as an info notice.
      if ('error' in outcome) throw outcome.error;
      message = outcome.notice;
    });
    // run() clears the notice when the action ends, so the provider's answer is shown after it.
    if (ok) test.setNotice(message);
  }

  function remove() {
    if (!confirm(`Delete ${credential.name}? Chatbots using it stop answering.`)) return;
    void removal.run(async () => {
      await del(`/api/v1/credentials/${credential.id}`);
      onDeleted();
    });
  }

  const error = test.error ?? removal.error;
  return (
    <li class="item credential" aria-label={credential.name}>
      <div class="grow">
        <strong>{credential.name}</strong>
        <div class="muted small">
          Secrets stored: {credential.secretsSet.join(', ') || 'none'} · updated {formatRelative(credential.updatedAt)}
        </div>
      </div>
      <div class="actions">
        <ModelsButton expanded={showModels} controls={modelsId} onToggle={() => setShowModels(!showModels)} />
        <button type="button" class="button subtle" disabled={test.busy} onClick={() => void testConnection()}>
          {test.busy ? 'Testing…' : 'Test connection'}
        </button>
        {can('manage') && (
          <button type="button" class="button subtle" aria-expanded={editing} onClick={() => setEditing(!editing)}>
            {editing ? 'Close' : 'Edit'}
          </button>
        )}
        {can('manage') && (
          <button type="button" class="button danger" disabled={removal.busy} onClick={remove}>
            Delete
          </button>
        )}
      </div>
      {(test.notice || error || showModels || editing) && (
        <div class="item-detail">
          {editing && (
            <AddCredential
              provider={provider}
              credential={credential}
              onSaved={() => {
                setEditing(false);
                onSaved();
              }}
            />
          )}
          {test.notice && <Notice>{test.notice}</Notice>}
          {error && (
            <ErrorBanner
              title={error === test.error ? "Couldn't test the connection" : "Couldn't delete the credentials"}
              error={error}
            />
          )}
          {showModels && (
            <ModelList
              id={modelsId}
              label={credential.name}
              providerId={credential.providerId}
              credentialId={credential.id}
            />
          )}
        </div>
      )}
    </li>
  );
}
