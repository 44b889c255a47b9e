import { useEffect } from 'preact/hooks';
import { route } from '../lib/router';
import { checkSession, me, teamId } from '../lib/session';
import { AcceptInvitation, invitationToken } from '../views/AcceptInvitation';
import { ViewFor } from '../views/routes';
import { SignIn } from '../views/SignIn';
import { Layout } from './Layout';

export function App() {
  useEffect(() => {
    void checkSession();
  }, []);
  const session = me.value;
  const invitation = invitationToken();
  if (invitation) return <AcceptInvitation token={invitation} />;
  if (session === undefined) return <p class="loading boot">Loading…</p>;
  if (session === null) return <SignIn />;
  return (
    <Layout>
      {/* Keyed by team: switching teams remounts the view, so nothing of the previous team stays on screen. */}
      <ViewFor key={`${teamId.value}:${route.value.segments.join('/')}`} route={route.value} />
    </Layout>
  );
}
