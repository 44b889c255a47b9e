import { useState } from 'preact/hooks';
import { ErrorBanner } from '../components/feedback';
import { completeTwoFactor, signIn } from '../lib/session';
import { useAction } from '../lib/use-action';

/** Email + password, then the authenticator code when the account has two-factor sign-in. */
export function SignIn() {
  const [challenge, setChallenge] = useState<string | null>(null);
  const { error, busy, run } = useAction();

  function submitPassword(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void run(async () => {
      const result = await signIn(String(form.get('email')), String(form.get('password')));
      if (result.status === 'two-factor') setChallenge(result.challenge);
    });
  }

  function submitCode(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    if (challenge) void run(() => completeTwoFactor(challenge, String(form.get('code')).replace(/\s/g, '')));
  }

  return (
    <main class="sign-in">
      <div class="card narrow">
        <div class="brand big">
          <span class="logo" aria-hidden="true">
            P
          </span>
          Parley
        </div>
        {challenge ? (
          <form onSubmit={submitCode} class="form">
            <h1>Two-factor sign-in</h1>
            <p class="muted">Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
            <label>
              Code
              <input name="code" autocomplete="one-time-code" inputMode="numeric" required />
            </label>
            {error && <ErrorBanner title="Couldn't verify the code" error={error} />}
            <button type="submit" class="button primary" disabled={busy}>
              {busy ? 'Checking…' : 'Verify'}
            </button>
          </form>
        ) : (
          <form onSubmit={submitPassword} class="form">
            <h1>Sign in</h1>
            <label>
              Email
              <input name="email" type="email" autocomplete="username" required />
            </label>
            <label>
              Password
              <input name="password" type="password" autocomplete="current-password" required />
            </label>
            {error && <ErrorBanner title="Couldn't sign in" error={error} />}
            <button type="submit" class="button primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
            <p class="muted small">
              Running locally? <code>npm start</code> printed the demo owner's email and password.
            </p>
          </form>
        )}
      </div>
    </main>
  );
}
