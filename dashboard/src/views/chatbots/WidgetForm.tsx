import { useState } from 'preact/hooks';
import { ErrorBanner, Notice } from '../../components/feedback';
import type { ApiError } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import { can } from '../../lib/session';
import type { Chatbot, Definition, WidgetSettings } from '../../lib/types';
import { saveChatbot } from './save';
import { WidgetKeys } from './WidgetKeys';

/** What the widget will look like with the settings being edited (the real widget reads the same fields). */
function Preview({ bot, look }: { bot: Chatbot; look: WidgetSettings }) {
  const definition = bot.draft?.definition as Definition;
  const dark = look.theme === 'dark';
  return (
    <figure class={`widget-preview ${dark ? 'dark' : ''} ${look.position === 'bottom-left' ? 'left' : ''}`}>
      <figcaption class="visually-hidden">Preview</figcaption>
      <div class="wp-panel">
        <div class="wp-header" style={{ background: look.primaryColor ?? '#2563eb' }}>
          {look.avatarUrl && <img src={look.avatarUrl} alt="" width={28} height={28} />}
          <div>
            <strong>{look.title || bot.name}</strong>
            {look.subtitle && <div class="small">{look.subtitle}</div>}
          </div>
        </div>
        <div class="wp-body">
          {definition.settings.welcomeMessage && <p class="wp-bubble">{definition.settings.welcomeMessage}</p>}
          <div class="wp-starters">
            {definition.settings.starterQuestions.map((q) => (
              <span key={q} style={{ borderColor: look.primaryColor ?? '#2563eb' }}>
                {q}
              </span>
            ))}
          </div>
        </div>
      </div>
      <span class="wp-launcher" style={{ background: look.primaryColor ?? '#2563eb' }} aria-hidden="true">
        {look.launcherIcon === 'help' ? '?' : look.launcherIcon === 'sparkles' ? '✦' : '💬'}
      </span>
    </figure>
  );
}

export function WidgetForm({ bot, onSaved }: { bot: Chatbot; onSaved: (bot: Chatbot) => void }) {
  const definition = bot.draft?.definition as Definition;
  const [look, setLook] = useState<WidgetSettings>(definition.settings.widget ?? {});
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const set = (key: keyof WidgetSettings) => (event: Event) => {
    const value = (event.target as HTMLInputElement).value;
    setSaved(false);
    setLook((current) => {
      const next = { ...current };
      if (value) (next as Record<string, string>)[key] = value;
      else delete next[key];
      return next;
    });
  };

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    try {
      onSaved(
        await saveChatbot(bot, { definition: { ...definition, settings: { ...definition.settings, widget: look } } }),
      );
      setSaved(true);
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <>
      <div class="split">
        <form class="card form" onSubmit={submit} aria-label="Widget look">
          <fieldset disabled={!can('edit')} class="form">
            <label>
              Title
              <input value={look.title ?? ''} placeholder={bot.name} maxLength={80} onInput={set('title')} />
            </label>
            <label>
              Subtitle
              <input value={look.subtitle ?? ''} maxLength={160} onInput={set('subtitle')} />
            </label>
            <label>
              Avatar URL (https)
              <input value={look.avatarUrl ?? ''} type="url" onInput={set('avatarUrl')} />
            </label>
            <div class="grid-3">
              <label>
                Colour
                <input type="color" value={look.primaryColor ?? '#2563eb'} onInput={set('primaryColor')} />
              </label>
              <label>
                Position
                <select value={look.position ?? 'bottom-right'} onChange={set('position')}>
                  <option value="bottom-right">Bottom right</option>
                  <option value="bottom-left">Bottom left</option>
                </select>
              </label>
              <label>
                Launcher icon
                <select value={look.launcherIcon ?? 'chat'} onChange={set('launcherIcon')}>
                  <option value="chat">Chat bubble</option>
                  <option value="help">Question mark</option>
                  <option value="sparkles">Sparkles</option>
                </select>
              </label>
            </div>
            <div class="grid-2">
              <label>
                Theme
                <select value={look.theme ?? 'auto'} onChange={set('theme')}>
                  <option value="auto">Follow the visitor's system</option>
                  <option value="light">Light</option>
                  <option value="dark">Dark</option>
                </select>
              </label>
              <label>
                Language
                <input value={look.locale ?? ''} placeholder="Visitor's browser language" onInput={set('locale')} />
              </label>
            </div>
            {error && <ErrorBanner title="Couldn't save the widget look" error={error} />}
            {saved && <Notice>Saved to the draft. Publish it to change the live widget.</Notice>}
            {can('edit') && (
              <div>
                <button type="submit" class="button primary">
                  Save draft
                </button>
              </div>
            )}
          </fieldset>
        </form>
        <Preview bot={bot} look={look} />
      </div>
      <WidgetKeys bot={bot} />
    </>
  );
}
