import { useState } from 'preact/hooks';
import type { Invitation as ApiInvitation } from '../../../../worker/team/invitations-routes.ts';
import type { Member as ApiMember } from '../../../../worker/team/members-routes.ts';
import { CopyButton } from '../../components/CopyButton';
import { ErrorBanner, Loading, PageHeader } from '../../components/feedback';
import { formatRelative } from '../../lib/format';
import { getAll } from '../../lib/get-all';
import { del, patch, post } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { can, me, type Role } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { DeleteTeam } from './DeleteTeam';

type Member = ApiMember;

/** An invitation; the create answer adds the link to send. */
type Invitation = ApiInvitation & { acceptUrl?: string };

const ROLES: Role[] = ['owner', 'admin', 'editor', 'viewer'];
/** What a new invitation offers unless the admin picks otherwise: can build and chat, cannot manage the team. */
const DEFAULT_ROLE: Role = 'editor';

export function Members() {
  const [state, reload] = useResource(
    (signal) =>
      Promise.all([
        getAll<Member>('/api/v1/members', { signal }),
        getAll<Invitation>('/api/v1/invitations?status=pending', { signal }),
      ]),
    [],
  );
  const [link, setLink] = useState<string | null>(null);
  const { error, run } = useAction();

  const act = (action: () => Promise<unknown>) => run(action).then((ok) => ok && reload());

  function invite(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    void act(async () => {
      const invitation = await post<Invitation>('/api/v1/invitations', {
        email: data.get('email'),
        role: data.get('role'),
      });
      setLink(invitation.acceptUrl ?? null);
      form.reset();
      // reset() would select the first role, owner: the next invitation must not grant it by accident.
      const role = form.querySelector('select[name="role"]');
      if (role instanceof HTMLSelectElement) role.value = DEFAULT_ROLE;
    });
  }

  return (
    <>
      <PageHeader title="Members" />
      {error && <ErrorBanner title="That didn't work" error={error} />}
      {can('manage') && (
        <form class="card inline-form" onSubmit={invite} aria-label="Invite">
          <label class="grow">
            Invite by email
            <input name="email" type="email" required />
          </label>
          <label>
            Role
            <select name="role">
              {ROLES.map((role) => (
                <option key={role} selected={role === DEFAULT_ROLE}>
                  {role}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="button primary">
            Create invitation link
          </button>
        </form>
      )}
      {link && (
        <div class="banner notice">
          Send this link to the person you invited (valid 7 days, works once): <code>{link}</code>{' '}
          <CopyButton text={link} />
        </div>
      )}
      {state.status === 'loading' && <Loading what="members" />}
      {state.status === 'error' && <ErrorBanner title="Couldn't load members" error={state.error} onRetry={reload} />}
      {state.status === 'ready' && (
        <>
          <section class="card">
            <h2>Members</h2>
            <div class="table-scroll">
              <table class="table">
                <tbody>
                  {state.value[0].map((member) => (
                    <tr key={member.userId}>
                      <td>
                        <strong>{member.name}</strong>
                        <div class="muted small">{member.email}</div>
                      </td>
                      <td>
                        <select
                          aria-label={`Role of ${member.email}`}
                          value={member.role}
                          onChange={(e) =>
                            void act(() =>
                              patch(`/api/v1/members/${member.userId}`, {
                                role: (e.target as HTMLSelectElement).value,
                              }),
                            )
                          }
                        >
                          {ROLES.map((role) => (
                            <option key={role}>{role}</option>
                          ))}
                        </select>
                      </td>
                      <td class="muted">joined {formatRelative(member.joinedAt)}</td>
                      <td class="actions">
                        {member.userId !== me.value?.user.id && (
                          <button
                            type="button"
                            class="button danger"
                            onClick={() =>
                              confirm(`Remove ${member.email} from the team?`) &&
                              void act(() => del(`/api/v1/members/${member.userId}`))
                            }
                          >
                            Remove
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section class="card">
            <h2>Pending invitations</h2>
            {state.value[1].length === 0 ? (
              <p class="muted">None.</p>
            ) : (
              <div class="table-scroll">
                <table class="table">
                  <tbody>
                    {state.value[1].map((invitation) => (
                      <tr key={invitation.id}>
                        <td>{invitation.email}</td>
                        <td>{invitation.role}</td>
                        <td class="muted">expires {formatRelative(invitation.expiresAt)}</td>
                        <td class="actions">
                          <button
                            type="button"
                            class="button subtle"
                            onClick={() => void act(() => del(`/api/v1/invitations/${invitation.id}`))}
                          >
                            Revoke
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
      <DeleteTeam />
    </>
  );
}
