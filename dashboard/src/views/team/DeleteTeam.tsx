import { useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { request } from '../../lib/http';
import { checkSession, membership } from '../../lib/session';
import { useAction } from '../../lib/use-action';

/**
 * The team's danger zone (owners only; the server checks it too): deleting the team, confirmed by typing its name
 * (DELETE /api/v1/team, worker/team-deletion/routes.ts). Keys, widgets and channels stop at once; the data follows.
 */
export function DeleteTeam() {
  const team = membership.value;
  const [typed, setTyped] = useState('');
  const { error, busy, run } = useAction();
  if (team?.role !== 'owner') return null;
  const matches = typed === team.teamName;

  function submit(event: Event) {
    event.preventDefault();
    if (!matches) return;
    void run(async () => {
      await request('DELETE', '/api/v1/team', { confirm: typed });
      // The team is gone from the person's memberships: the session check moves the dashboard to another team.
      await checkSession();
    });
  }

  return (
    <section class="card danger-zone" aria-labelledby="delete-team-title">
      <h2 id="delete-team-title">Delete team</h2>
      {error && <ErrorBanner title="The team was not deleted" error={error} />}
      <p>
        Deletes <strong>{team.teamName}</strong> and everything in it: chatbots, conversations, files, knowledge, keys
        and members. API keys, widgets and channels stop working at once. This cannot be undone.
      </p>
      <form class="inline-form" onSubmit={submit}>
        <label class="grow">
          Type the team’s name to confirm
          <input
            name="confirm"
            autocomplete="off"
            value={typed}
            onInput={(event) => setTyped((event.currentTarget as HTMLInputElement).value)}
            required
          />
        </label>
        <button type="submit" class="button danger" disabled={!matches || busy}>
          Delete this team
        </button>
      </form>
    </section>
  );
}
