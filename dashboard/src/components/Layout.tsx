import type { ComponentChildren } from 'preact';
import { href, route } from '../lib/router';
import { can, me, membership, signOut, switchTeam, teamId } from '../lib/session';

const sections: readonly { path: string; label: string; manage?: boolean }[] = [
  { path: '', label: 'Home' },
  { path: 'chatbots', label: 'Chatbots' },
  { path: 'conversations', label: 'Conversations' },
  { path: 'participants', label: 'Participants' },
  { path: 'events', label: 'Events' },
  { path: 'channels', label: 'Channels' },
  { path: 'knowledge', label: 'Knowledge' },
  // Tools: the remote servers and custom actions chatbots call.
  { path: 'mcp-servers', label: 'MCP servers' },
  { path: 'custom-actions', label: 'Custom actions' },
  { path: 'providers', label: 'Providers' },
  { path: 'api-keys', label: 'API keys', manage: true },
  { path: 'members', label: 'Members', manage: true },
  { path: 'audit-log', label: 'Audit log', manage: true },
];

function TeamSwitcher() {
  const memberships = me.value?.memberships ?? [];
  if (memberships.length <= 1) return <span class="team-name">{membership.value?.teamName ?? 'No team'}</span>;
  return (
    <label class="team-switcher">
      <span class="visually-hidden">Team</span>
      <select value={teamId.value} onChange={(event) => switchTeam((event.target as HTMLSelectElement).value)}>
        {memberships.map((m) => (
          <option key={m.teamId} value={m.teamId}>
            {m.teamName}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Layout({ children }: { children: ComponentChildren }) {
  const current = route.value.segments[0] ?? '';
  const user = me.value?.user;
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href={href()}>
          <span class="logo" aria-hidden="true">
            P
          </span>
          Parley
        </a>
        <TeamSwitcher />
        <div class="session">
          <a href={href('account')} class="muted">
            {user?.name || user?.email}
          </a>
          <span class="role-badge">{membership.value?.role}</span>
          <button type="button" class="button subtle" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav class="sidebar" aria-label="Sections">
        <ul>
          {sections
            .filter((section) => !section.manage || can('manage'))
            .map((section) => (
              <li key={section.path}>
                <a
                  href={href(...(section.path ? [section.path] : []))}
                  aria-current={current === section.path ? 'page' : undefined}
                >
                  {section.label}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <main class="page" id="main">
        {children}
      </main>
    </div>
  );
}
