import { useState } from 'preact/hooks';
import { ErrorBanner } from '../components/feedback';
import { post } from '../lib/http';
import { checkSession, completeTwoFactor } from '../lib/session';
import { useAction } from '../lib/use-action';

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
  const [challenge, setChallenge] = useState<string | null>(null);
  const { error, busy, run } = useAction();

  /** Signed in to the team: drop the token from the address and open the dashboard as that member. */
  async function enterDashboard() {
    history.replaceState(history.state, '', location.pathname);
    location.hash = '#/';
    await checkSession();
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
      // An existing account with two-factor sign-in: the invitation is accepted, the session waits for the code.
      if (result.twoFactorRequired && result.challenge) setChallenge(result.challenge);
      else await enterDashboard();
    });
  }

  function verify(event: Event) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget as HTMLFormElement).get('code')).replace(/\s/g, '');
    if (challenge)
      void run(async () => {
        await completeTwoFactor(challenge, code);
        await enterDashboard();
      });
  }

  return (
    <main class="sign-in">
      <div class="card narrow">
        <h1>Join the team</h1>
        {challenge ? (
          <form class="form" onSubmit={verify}>
            <p class="muted">Enter the code from your authenticator app, or one of your recovery codes, to finish.</p>
            <label>
              Authenticator code
              <input name="code" inputMode="numeric" autocomplete="one-time-code" required />
            </label>
            <button type="submit" class="button primary" disabled={busy}>
              {busy ? 'Checking…' : 'Verify'}
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
        {error && (
          <ErrorBanner
            title={challenge ? "Couldn't verify the code" : "Couldn't accept the invitation"}
            error={error}
          />
        )}
      </div>
    </main>
  );
}
