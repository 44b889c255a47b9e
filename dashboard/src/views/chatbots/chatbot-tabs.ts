/** The chatbot editor's tabs; a viewer (no `chat` permission) cannot send a test message, so sees no Test chat. */
const tabs = [
  ['settings', 'Settings'],
  ['pipeline', 'Pipeline'],
  ['widget', 'Widget'],
  ['events', 'Events'],
  ['versions', 'Versions'],
  ['test', 'Test chat'],
  ['channels', 'Channels'],
] as const;

export type ChatbotTab = (typeof tabs)[number][0];

export function chatbotTabs(canChat: boolean): (typeof tabs)[number][] {
  return tabs.filter(([key]) => canChat || key !== 'test');
}
