import { decide, feedback, fileUrl, send } from './client';
import type { Key } from './i18n';
import { Icon } from './icons';
import { markdown } from './markdown';
import type { Ask, Msg } from './reducer';
import { refOf, Sources } from './Sources';
import { state } from './store';

type T = Record<Key, string>;

function Files({ files }: { files: Msg['files'] }) {
  return (
    <>
      {files?.map((f) =>
        f.mimeType.startsWith('image/') ? (
          <img key={f.fileId} class="thumb" src={fileUrl(f)} alt={f.name} />
        ) : (
          <a key={f.fileId} class="chip" href={fileUrl(f)} target="_blank" rel="noopener noreferrer">
            {f.name}
          </a>
        ),
      )}
    </>
  );
}

function Bubble({ m, t, prev }: { m: Msg; t: T; prev?: Msg }) {
  const bot = m.role !== 'user';
  const time = new Date(m.at).toLocaleTimeString(state.locale, { hour: '2-digit', minute: '2-digit' });
  return (
    <li class={bot ? 'm bot' : 'm me'}>
      {/* A reply that failed before its first token has no text: its error line stands alone, no empty bubble. */}
      {m.text || m.files?.length ? (
        <div class="b">
          {bot ? markdown(m.text, refOf(m)) : m.text}
          <Files files={m.files} />
        </div>
      ) : null}
      {bot && m.status !== 'streaming' && m.cites?.length ? <Sources cites={m.cites} t={t} /> : null}
      <div class="meta">
        {m.at ? <time dateTime={new Date(m.at).toISOString()}>{time}</time> : null}
        {m.status === 'failed' || m.status === 'error' ? (
          <>
            <span class="err">{m.status === 'error' ? t.error : t.failed}</span>
            <button
              type="button"
              class="link"
              onClick={() =>
                bot ? prev && send(prev.text, undefined, prev.files) : send(m.text, m.cid ?? m.id, m.files)
              }
            >
              {t.retry}
            </button>
          </>
        ) : null}
        {m.status === 'stopped' ? <span class="stp">{t.stopped}</span> : null}
        {bot && (m.status === 'complete' || m.status === 'stopped')
          ? (['up', 'down'] as const).map((r) => (
              <button
                key={r}
                type="button"
                class="fb"
                aria-label={t[r]}
                aria-pressed={m.rating === r}
                onClick={() => feedback(m.id, m.rating === r ? null : r)}
              >
                <Icon name="up" size={14} />
              </button>
            ))
          : null}
      </div>
    </li>
  );
}

/** The JSON arguments, indented for reading; anything else as it came. */
function pretty(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

/** A tool call the assistant waits on: what it wants to run, with Allow / Deny; then what was decided. */
function AskCard({ a, t }: { a: Ask; t: T }) {
  const title = t.toolAsk.replace('{tool}', a.name);
  return (
    <li class="m bot ask">
      <div class="b">
        <strong>{title}</strong>
        <pre>
          <code>{pretty(a.args)}</code>
        </pre>
        {a.st ? (
          <div class="meta" role="status">
            <span class={a.st === 'denied' ? 'err' : ''}>{a.st === 'approved' ? t.allowed : t.denied}</span>
          </div>
        ) : (
          <div class="acts">
            <button type="button" class="ok" disabled={a.sent} onClick={() => decide(a.id, true)}>
              {t.allow}
            </button>
            <button type="button" disabled={a.sent} onClick={() => decide(a.id, false)}>
              {t.deny}
            </button>
          </div>
        )}
      </div>
    </li>
  );
}

export function Messages({ t }: { t: T }) {
  const { msgs } = state.t;
  const bot = state.bot;
  const last = msgs[msgs.length - 1];
  // Not "typing" while the reply waits for the user's decision on a tool call.
  const asking = state.t.asks.some((a) => !a.st);
  const waiting =
    !asking && last && (last.role === 'user' ? last.status !== 'failed' : last.status === 'streaming' && !last.text);
  let prevUser: Msg | undefined;
  return (
    <ol class="log">
      {bot?.welcomeMessage ? (
        <Bubble m={{ id: 'w', role: 'bot', text: bot.welcomeMessage, status: '', at: 0 }} t={t} />
      ) : null}
      {msgs.map((m) => {
        const node = <Bubble key={m.id} m={m} t={t} prev={prevUser} />;
        if (m.role === 'user') prevUser = m;
        return node;
      })}
      {state.t.asks.map((a) => (
        <AskCard key={a.id} a={a} t={t} />
      ))}
      {waiting ? (
        <li class="m bot">
          <div class="b meta">{t.typing}</div>
        </li>
      ) : null}
      {!msgs.length && bot?.starterQuestions?.length ? (
        <li class="starters">
          {bot.starterQuestions.map((q) => (
            <button key={q} type="button" onClick={() => send(q)}>
              {q}
            </button>
          ))}
        </li>
      ) : null}
    </ol>
  );
}
