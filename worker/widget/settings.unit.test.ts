import { describe, expect, it } from 'vitest';
import { chatbotDefinition, simpleDefinition } from '../chatbots/definition.ts';
import { presentChatbot } from './settings.ts';

const llm = {
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: '',
  parameters: {},
  tools: [],
  maxToolSteps: 1,
};

describe('chatbot widget settings', () => {
  it('are optional, validated, and filled with defaults for the widget', () => {
    const plain = simpleDefinition(llm);
    expect(presentChatbot({ id: 'bot_1', name: 'Helper' }, plain).widget).toEqual({
      title: 'Helper',
      subtitle: '',
      avatarUrl: null,
      primaryColor: '#2563eb',
      position: 'bottom-right',
      launcherIcon: 'chat',
      theme: 'auto',
    });
    const styled = simpleDefinition(llm, {
      widget: { title: 'Support', primaryColor: '#FF0000', position: 'bottom-left', theme: 'dark', locale: 'pt-BR' },
    });
    expect(presentChatbot({ id: 'bot_1', name: 'Helper' }, styled).widget).toMatchObject({
      title: 'Support',
      primaryColor: '#FF0000',
      position: 'bottom-left',
      theme: 'dark',
      locale: 'pt-BR',
    });
    const bad = {
      ...plain,
      settings: { ...plain.settings, widget: { primaryColor: 'red', avatarUrl: 'javascript:x' } },
    };
    const result = chatbotDefinition.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'settings.widget.avatarUrl',
      'settings.widget.primaryColor',
    ]);
  });
});
