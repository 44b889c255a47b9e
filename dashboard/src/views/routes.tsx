/** Which view answers which `#/…` location. Views are split into chunks loaded on first visit. */
import { lazy, Suspense } from 'preact/compat';
import { Empty, Loading } from '../components/feedback';
import type { Route } from '../lib/router';
import { href } from '../lib/router';
import { Home } from './Home';

const Chatbots = lazy(() => import('./chatbots/ChatbotList').then((m) => m.ChatbotList));
const ChatbotEditor = lazy(() => import('./chatbots/ChatbotEditor').then((m) => m.ChatbotEditor));
const Conversations = lazy(() => import('./conversations/ConversationList').then((m) => m.ConversationList));
const Transcript = lazy(() => import('./conversations/Transcript').then((m) => m.Transcript));
const Participants = lazy(() => import('./participants/ParticipantList').then((m) => m.ParticipantList));
const Participant = lazy(() => import('./participants/ParticipantDetail').then((m) => m.ParticipantDetail));
const EventLog = lazy(() => import('./events/EventLog').then((m) => m.EventLog));
const Channels = lazy(() => import('./channels/ChannelList').then((m) => m.ChannelList));
const Providers = lazy(() => import('./providers/ProviderList').then((m) => m.ProviderList));
const Collections = lazy(() => import('./knowledge/CollectionList').then((m) => m.CollectionList));
const Collection = lazy(() => import('./knowledge/CollectionPage').then((m) => m.CollectionPage));
const McpServers = lazy(() => import('./mcp-servers/McpServerList').then((m) => m.McpServerList));
const CustomActions = lazy(() => import('./custom-actions/CustomActionList').then((m) => m.CustomActionList));
const ApiKeys = lazy(() => import('./team/ApiKeys').then((m) => m.ApiKeys));
const Members = lazy(() => import('./team/Members').then((m) => m.Members));
const AuditLog = lazy(() => import('./team/AuditLog').then((m) => m.AuditLog));
const Account = lazy(() => import('./team/Account').then((m) => m.Account));

function pick(route: Route) {
  const [section, id, tab] = route.segments;
  switch (section) {
    case undefined:
      return <Home />;
    case 'chatbots':
      return id ? <ChatbotEditor id={id} tab={tab ?? 'settings'} /> : <Chatbots />;
    case 'conversations':
      return id ? <Transcript id={id} /> : <Conversations params={route.params} />;
    case 'participants':
      return id ? <Participant id={id} /> : <Participants params={route.params} />;
    case 'events':
      return <EventLog params={route.params} />;
    case 'channels':
      return <Channels params={route.params} />;
    case 'knowledge':
      return id ? <Collection id={id} tab={tab} documentId={route.segments[3]} /> : <Collections />;
    case 'custom-actions':
      return <CustomActions />;
    case 'providers':
      return <Providers />;
    case 'mcp-servers':
      return <McpServers />;
    case 'api-keys':
      return <ApiKeys />;
    case 'members':
      return <Members />;
    case 'audit-log':
      return <AuditLog params={route.params} />;
    case 'account':
      return <Account />;
    default:
      return (
        <Empty title="This page does not exist.">
          <a href={href()}>Back to the home page</a>
        </Empty>
      );
  }
}

export function ViewFor({ route }: { route: Route }) {
  return <Suspense fallback={<Loading what="page" />}>{pick(route)}</Suspense>;
}
