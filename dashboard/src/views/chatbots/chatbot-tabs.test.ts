import { describe, expect, it } from 'vitest';
import { chatbotTabs } from './chatbot-tabs';

describe('chatbotTabs', () => {
  it('hides Test chat from people who cannot chat', () => {
    expect(chatbotTabs(true).map(([key]) => key)).toContain('test');
    expect(chatbotTabs(false).map(([key]) => key)).toEqual([
      'settings',
      'pipeline',
      'widget',
      'events',
      'versions',
      'channels',
    ]);
  });
});
