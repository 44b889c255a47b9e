import { useState } from 'preact/hooks';
import { ErrorBanner } from '../components/feedback';
import { type ApiError, post } from '../lib/http';
import { toApiError } from '../lib/resource';
import { checkSession, completeTwoFactor } from '../lib/session';

/** The token in an invitation link (`/dashboard/#invite=<token>`), if this is one. */
export function invitationToken(): string | null {
  const match = /^#invite=([\w-]{20,100})$/.exec(location.hash);
  return match?.[1] ?? null;
}

/**
 * Joins a team from an invitation link: a new person picks a name and password; someone who already has an account
 * confirms with their password. Either way they end up signed in to the team.
 */
export function AcceptInvitation({ token }: { token: string }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [challenge, setChallenge] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      history.replaceState(history.state, '', location.pathname);
      location.hash = '#/';
      await checkSession();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  function accept(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const name = String(form.get('name') ?? '').trim();
    void run(async () => {
      const result = await post<{ twoFactorRequired: boolean; challenge?: string }>(
        '/api/v1/invitations/accept',
        { token, password: String(form.get('password')), ...(name && { name }) },
        { quiet401: true },
      );
      if (result.twoFactorRequired && result.challenge) {
        setChallenge(result.challenge);
        throw new Error('Enter the code from your authenticator app to finish.');
      }
    });
  }

  return (
    <main class="sign-in">
      <div class="card narrow">
        <h1>Join the team</h1>
        {challenge ? (
          <form
            class="form"
            onSubmit={(event) => {
              event.preventDefault();
              const code = String(new FormData(event.currentTarget as HTMLFormElement).get('code'));
              void run(() => completeTwoFactor(challenge, code));
            }}
          >
            <label>
              Authenticator code
              <input name="code" inputMode="numeric" autocomplete="one-time-code" required />
            </label>
            <button type="submit" class="button primary" disabled={busy}>
              Verify
            </button>
          </form>
        ) : (
          <form class="form" onSubmit={accept}>
            <p class="muted">
              New to Parley? Choose your name and a password (at least 12 characters). Already have an account? Enter
              its password.
            </p>
            <label>
              Your name (new accounts)
              <input name="name" maxLength={100} autocomplete="name" />
            </label>
            <label>
              Password
              <input name="password" type="password" required autocomplete="new-password" />
            </label>
            <button type="submit" class="button primary" disabled={busy}>
              {busy ? 'Joining…' : 'Accept invitation'}
            </button>
          </form>
        )}
        {error && <ErrorBanner title="Couldn't accept the invitation" error={error} />}
      </div>
    </main>
  );
}
