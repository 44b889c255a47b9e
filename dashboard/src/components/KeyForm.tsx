import { useSignal } from '@preact/signals';
import { checkKeyFormat, setKey, signInProblem } from '../auth';

export function KeyForm() {
  const draft = useSignal('');
  const formatError = useSignal<string | null>(null);

  const submit = (event: Event) => {
    event.preventDefault();
    const key = draft.value.trim();
    const problem = checkKeyFormat(key);
    formatError.value = problem;
    if (!problem) setKey(key);
  };

  return (
    <section class="card narrow" aria-labelledby="key-title">
      <h1 id="key-title">Open the dashboard</h1>
      {signInProblem.value && (
        <div class="banner error" role="alert">
          {signInProblem.value}
        </div>
      )}
      <p class="muted">
        Paste a Parley API key with the <code>admin</code> scope, or open this page as{' '}
        <code>/dashboard/#key=prl_…</code>. The key stays in this browser tab only and leaves the address bar.
      </p>
      <form class="key-form" onSubmit={submit} noValidate>
        <label for="api-key">API key</label>
        <div class="row">
          <input
            id="api-key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            placeholder="prl_…"
            value={draft.value}
            onInput={(event) => {
              draft.value = event.currentTarget.value;
            }}
            aria-invalid={formatError.value ? true : undefined}
            aria-describedby={formatError.value ? 'api-key-error' : undefined}
          />
          <button type="submit" class="button primary">
            Continue
          </button>
        </div>
        {formatError.value && (
          <p id="api-key-error" class="field-error">
            {formatError.value}
          </p>
        )}
      </form>
    </section>
  );
}
