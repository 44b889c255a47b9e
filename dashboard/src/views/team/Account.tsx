import { useState } from 'preact/hooks';
import { ErrorBanner, Notice, PageHeader } from '../../components/feedback';
import { post } from '../../lib/http';
import { checkSession, me, signOut } from '../../lib/session';
import { useAction } from '../../lib/use-action';

interface TotpSetup {
  otpauthUri: string;
  secret: string;
  /** The otpauth URI as a QR code, drawn by the Worker (worker/auth/totp-qr.ts). */
  qrSvg: string;
}

/** The signed-in person's own security: two-factor sign-in and their sessions. */
export function Account() {
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const { error, notice, run: act, setNotice } = useAction();

  const codeFrom = (event: Event) => String(new FormData(event.currentTarget as HTMLFormElement).get('code')).trim();

  return (
    <>
      <PageHeader title="Your account" />
      {error && <ErrorBanner title="That didn't work" error={error} />}
      {notice && <Notice>{notice}</Notice>}
      <section class="card">
        <h2>Two-factor sign-in</h2>
        {codes && (
          <div class="banner notice">
            <div>
              <strong>Recovery codes — shown once.</strong> Keep them somewhere safe; each works once if you lose your
              authenticator.
              <pre class="codes">{codes.join('\n')}</pre>
            </div>
          </div>
        )}
        {me.value?.twoFactorEnabled ? (
          <form
            class="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              const code = codeFrom(event);
              void act(async () => {
                await post('/api/v1/auth/totp/disable', { code });
                await checkSession();
                setNotice('Two-factor sign-in is off.');
              });
            }}
          >
            <span class="badge live">on</span>
            <label>
              Code to turn it off
              <input name="code" inputMode="numeric" autocomplete="one-time-code" required />
            </label>
            <button type="submit" class="button danger">
              Turn off
            </button>
          </form>
        ) : setup ? (
          <form
            class="form"
            onSubmit={(event) => {
              event.preventDefault();
              const code = codeFrom(event);
              void act(async () => {
                const result = await post<{ recoveryCodes: string[] }>('/api/v1/auth/totp/enable', { code });
                setCodes(result.recoveryCodes);
                setSetup(null);
                await checkSession();
              });
            }}
          >
            <p>Scan this code with your authenticator app, then enter the code it shows.</p>
            {/* An <img> of a data: URI: the SVG cannot run script or touch the page (CSP img-src allows data:). */}
            <img
              class="qr"
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrSvg)}`}
              alt="QR code of the authenticator setup link; the setup key below adds the same account by hand"
              width={200}
              height={200}
            />
            <p>
              Can't scan it? Enter the setup key <code class="secret">{setup.secret}</code> by hand (or open{' '}
              <a href={setup.otpauthUri}>the otpauth link</a> on your phone).
            </p>
            <label>
              Code
              <input name="code" inputMode="numeric" autocomplete="one-time-code" required pattern="\d{6}" />
            </label>
            <div>
              <button type="submit" class="button primary">
                Turn on
              </button>
            </div>
          </form>
        ) : (
          <button
            type="button"
            class="button"
            onClick={() => void act(async () => setSetup(await post<TotpSetup>('/api/v1/auth/totp/setup')))}
          >
            Set up two-factor sign-in
          </button>
        )}
      </section>
      <section class="card">
        <h2>Sessions</h2>
        <p class="muted">Signs you out on every device and browser, including this one.</p>
        <button type="button" class="button danger" onClick={() => void signOut(true)}>
          Sign out everywhere
        </button>
      </section>
    </>
  );
}
