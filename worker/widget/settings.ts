import type { z } from 'zod';
import type { ChatbotDefinition, widgetSettings } from '../chatbots/definition.ts';
import type { WidgetAppearance, WidgetChatbot } from './api-schemas.ts';

type WidgetSettings = z.infer<typeof widgetSettings>;

export const WIDGET_DEFAULTS = {
  subtitle: '',
  avatarUrl: null,
  primaryColor: '#2563eb',
  position: 'bottom-right',
  launcherIcon: 'chat',
  theme: 'auto',
} as const;

export type { WidgetAppearance };

/** The chatbot as the widget shows it: every widget setting filled in, so the widget needs no defaults of its own. */
export function presentChatbot(chatbot: { id: string; name: string }, definition: ChatbotDefinition): WidgetChatbot {
  const settings: WidgetSettings = definition.settings.widget ?? {};
  const widget: WidgetAppearance = {
    title: settings.title ?? chatbot.name,
    subtitle: settings.subtitle ?? WIDGET_DEFAULTS.subtitle,
    avatarUrl: settings.avatarUrl ?? WIDGET_DEFAULTS.avatarUrl,
    primaryColor: settings.primaryColor ?? WIDGET_DEFAULTS.primaryColor,
    position: settings.position ?? WIDGET_DEFAULTS.position,
    launcherIcon: settings.launcherIcon ?? WIDGET_DEFAULTS.launcherIcon,
    theme: settings.theme ?? WIDGET_DEFAULTS.theme,
    ...(settings.locale !== undefined && { locale: settings.locale }),
  };
  return {
    id: chatbot.id,
    name: chatbot.name,
    welcomeMessage: definition.settings.welcomeMessage,
    starterQuestions: definition.settings.starterQuestions,
    widget,
  };
}
