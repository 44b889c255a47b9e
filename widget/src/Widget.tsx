import { cancel, reset, send, upload } from './client';
import { DEFAULT_ACCENT, inkOn, isHex } from './contrast';
import { strings } from './i18n';
import { Icon } from './icons';
import { Messages } from './Messages';
import { noticeText } from './notice';
import { type Look, state } from './store';

export const refs: {
  input?: HTMLTextAreaElement | null;
  launcher?: HTMLButtonElement | null;
  log?: HTMLElement | null;
} = {};

export interface Actions {
  toggle: () => void;
  close: () => void;
}

function submit(): void {
  const input = refs.input;
  if (!input || (!input.value.trim() && !state.files.length)) return;
  const text = input.value;
  input.value = '';
  send(text);
}

export function Widget({ actions, overrides }: { actions: Actions; overrides: Parameters<typeof strings>[1] }) {
  const t = strings(state.locale, overrides);
  const s = state;
  const look: Partial<Look> = s.bot?.widget ?? {};
  const dark = look.theme === 'dark' || (look.theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
  const accent = isHex(look.primaryColor) ? look.primaryColor : DEFAULT_ACCENT;
  const title = look.title || s.bot?.name || 'Chat';
  const last = s.t.msgs[s.t.msgs.length - 1];
  const busy = last?.role !== 'user' && last?.status === 'streaming';
  const net = s.net === 'offline' ? t.offline : s.net === 'connecting' ? t.connecting : '';
  const notice = noticeText(t, s.notice, location.origin);
  return (
    <div
      class={`p${dark ? ' dark' : ''}${look.position === 'bottom-left' ? ' left' : ''}${s.open ? ' o' : ''}`}
      style={`--a:${accent};--i:${inkOn(accent)}`}
      lang={s.locale}
    >
      {/* Rendered on first open only: the launcher alone is on the page until then. */}
      {s.open || s.t.msgs.length ? (
        <section
          id="pp"
          class="panel"
          role="dialog"
          aria-labelledby="pt"
          hidden={!s.open}
          onKeyDown={(e) => e.key === 'Escape' && actions.close()}
        >
          <div class="head">
            {look.avatarUrl ? <img class="av" src={look.avatarUrl} alt="" /> : <span class="av">{title[0]}</span>}
            <div class="ht">
              <h2 id="pt">{title}</h2>
              {look.subtitle ? <p>{look.subtitle}</p> : null}
            </div>
            <button type="button" class="hb" aria-label={t.newChat} onClick={() => reset()}>
              <Icon name="plus" />
            </button>
            <button type="button" class="hb" aria-label={t.close} onClick={actions.close}>
              <Icon name="close" />
            </button>
          </div>
          {net ? (
            <div class="net" role="status">
              {net}
            </div>
          ) : null}
          <div
            class="body"
            ref={(el) => {
              refs.log = el;
            }}
          >
            <Messages t={t} />
          </div>
          {notice ? (
            <div class="net" role="alert">
              {notice}
            </div>
          ) : null}
          {s.files.length ? (
            <div style="padding:0 12px">
              {s.files.map((f) => (
                <span key={f.fileId} class="chip">
                  {f.name}
                </span>
              ))}
            </div>
          ) : null}
          <form
            class="comp"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <label class="ib" aria-label={t.attach}>
              <Icon name="clip" />
              <input
                type="file"
                class="sr"
                disabled={s.uploading}
                onChange={(e) => {
                  const input = e.currentTarget;
                  const file = input.files?.[0];
                  input.value = '';
                  if (file) upload(file);
                }}
              />
            </label>
            <textarea
              ref={(el) => {
                refs.input = el;
              }}
              rows={1}
              aria-label={t.placeholder}
              placeholder={t.placeholder}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                  e.preventDefault();
                  submit();
                }
              }}
            />
            {busy ? (
              <button type="button" class="ib go" aria-label={t.stop} onClick={cancel}>
                <Icon name="stop" />
              </button>
            ) : (
              <button type="submit" class="ib go" aria-label={t.send} disabled={s.uploading}>
                <Icon name="send" />
              </button>
            )}
          </form>
        </section>
      ) : null}
      <button
        type="button"
        class="launcher"
        ref={(el) => {
          refs.launcher = el;
        }}
        aria-label={s.open ? t.close : t.open}
        aria-expanded={s.open}
        aria-controls="pp"
        onClick={actions.toggle}
      >
        <Icon name={s.open ? 'close' : (look.launcherIcon ?? 'chat')} size={26} />
      </button>
      <div class="sr" aria-live="polite">
        {s.live}
      </div>
    </div>
  );
}
