import { useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { type ApiError, patch, post } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import { AuthFields, authFromDraft, draftFrom } from './AuthFields';
import {
  type Action,
  actionPaths,
  type CreateBody,
  type Parsed,
  type Spec,
  specProblems,
  type UpdateBody,
} from './api';
import { OperationPicker } from './OperationPicker';
import { type SourceMode, SpecSource, specOf } from './SpecSource';

/** Add (action null) or edit one custom action. `onDone(saved)` closes the form; null when cancelled. */
export function CustomActionForm({
  action,
  onDone,
}: {
  action: Action | null;
  onDone: (saved: Action | null) => void;
}) {
  const [name, setName] = useState(action?.name ?? '');
  const [description, setDescription] = useState(action?.description ?? '');
  const [source, setSource] = useState<{ mode: SourceMode; text: string; url: string }>({
    mode: 'text',
    text: '',
    url: '',
  });
  // The spec last parsed: sent with the save, so what was checked is what is stored.
  const [parsed, setParsed] = useState<{ spec: Spec; result: Parsed } | null>(null);
  const [selected, setSelected] = useState<Set<string>>(
    () => new Set(action?.operations.filter((op) => op.selected).map((op) => op.operationId) ?? []),
  );
  const [baseUrl, setBaseUrl] = useState(action?.baseUrl ?? '');
  const [healthUrl, setHealthUrl] = useState(action?.health?.url ?? '');
  const [auth, setAuth] = useState(() => draftFrom(action?.auth ?? null));
  const [replacingAuth, setReplacingAuth] = useState(action === null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'parse' | 'save' | null>(null);

  const operations = parsed?.result.operations ?? action?.operations ?? [];
  const problems = error
    ? specProblems(error.details).filter((p) => p.path !== '' || error.code === 'invalid_spec')
    : [];

  async function parse() {
    const spec = specOf(source.mode, source.text, source.url);
    if (!spec) return setError(toApiError(new Error('Paste, upload or link a spec first.')));
    setBusy('parse');
    setError(null);
    try {
      const result = await post<Parsed>(actionPaths.parse, { spec });
      setParsed({ spec, result });
      // A fresh spec starts with every operation picked, up to the API's limit of 64 per action.
      setSelected(new Set(result.operations.slice(0, 64).map((op) => op.operationId)));
      if (!baseUrl) setBaseUrl(result.servers.find((url) => /^https?:\/\//.test(url)) ?? '');
      if (!name) setName(result.title);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(null);
    }
  }

  async function save(event: Event) {
    event.preventDefault();
    setBusy('save');
    setError(null);
    try {
      const common = {
        name: name.trim(),
        description,
        selectedOperations: [...selected],
        ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
      };
      const saved = action
        ? await patch<Action>(actionPaths.one(action.id), {
            ...common,
            ...(parsed ? { spec: parsed.spec } : {}),
            ...(replacingAuth ? { auth: authFromDraft(auth) } : {}),
            healthCheckUrl: healthUrl.trim() || null,
          } satisfies UpdateBody)
        : await post<Action>(actionPaths.list, {
            ...common,
            spec: parsed?.spec ?? { source: 'text', text: '' },
            auth: authFromDraft(auth),
            ...(healthUrl.trim() ? { healthCheckUrl: healthUrl.trim() } : {}),
          } satisfies CreateBody);
      onDone(saved);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(null);
    }
  }

  const specBlock = (
    <>
      <SpecSource {...source} onChange={(next) => setSource({ ...source, ...next })} />
      <div class="row">
        <button type="button" class="button" disabled={busy !== null} onClick={() => void parse()}>
          {busy === 'parse' ? 'Parsing…' : action ? 'Parse a new spec' : 'Parse'}
        </button>
        {parsed && (
          <span class="muted">
            {parsed.result.title} {parsed.result.version}: {parsed.result.operations.length} operations
          </span>
        )}
      </div>
    </>
  );

  const label = action ? `Edit ${action.name}` : 'Add a custom action';
  return (
    <form class="card form custom-action-form" aria-label={label} onSubmit={save}>
      <h2>{label}</h2>
      <div class="grid-2">
        <label>
          Name
          <input required maxLength={100} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Description
          <input
            maxLength={1000}
            value={description}
            onInput={(e) => setDescription((e.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      {action ? (
        <details class="replace-spec">
          <summary>
            Spec: {action.title} {action.version}. Replace the spec
          </summary>
          {specBlock}
        </details>
      ) : (
        specBlock
      )}
      {problems.length > 0 && (
        <div class="banner error" role="alert">
          <strong>The spec has problems</strong>
          <ul class="problems">
            {problems.map((p) => (
              <li key={`${p.path}:${p.message}`}>
                {p.path && <code>{p.path}</code>} {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {operations.length > 0 && <OperationPicker operations={operations} selected={selected} onChange={setSelected} />}
      <div class="grid-2">
        <label>
          Base URL
          <input
            type="url"
            value={baseUrl}
            placeholder="The spec's first server"
            onInput={(e) => setBaseUrl((e.target as HTMLInputElement).value)}
          />
          <span class="field-hint">Where calls go; the paths are added to it.</span>
        </label>
        <label>
          Health check URL
          <input
            type="url"
            value={healthUrl}
            placeholder="https://api.example.com/health"
            onInput={(e) => setHealthUrl((e.target as HTMLInputElement).value)}
          />
          <span class="field-hint">Optional: polled hourly with a GET; a 2xx answer is healthy.</span>
        </label>
      </div>
      <AuthFields
        saved={action?.auth ?? null}
        draft={auth}
        onChange={setAuth}
        replacing={replacingAuth}
        onReplace={setReplacingAuth}
      />
      {error && problems.length === 0 && <ErrorBanner title="That didn't work" error={error} />}
      <div class="row">
        <button type="submit" class="button primary" disabled={busy !== null || (!action && !parsed)}>
          {busy === 'save' ? 'Saving…' : action ? 'Save' : 'Add action'}
        </button>
        <button type="button" class="button subtle" onClick={() => onDone(null)}>
          Cancel
        </button>
        {!action && !parsed && <span class="muted">Parse the spec to pick its operations.</span>}
      </div>
    </form>
  );
}
