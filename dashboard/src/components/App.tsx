import { useEffect } from 'preact/hooks';
import { apiKey, forgetKey, maskKey } from '../auth';
import { loadAll, reset } from '../state';
import { ChatbotList } from './ChatbotList';
import { KeyForm } from './KeyForm';
import { PluginList } from './PluginList';

function Header({ signedInAs }: { signedInAs: string | null }) {
  return (
    <header class="topbar">
      <div class="brand">
        <span class="logo" aria-hidden="true">
          P
        </span>
        Parley
      </div>
      {signedInAs && (
        <div class="session">
          <span class="muted">
            API key <code>{signedInAs}</code>
          </span>
          <button type="button" class="button subtle" onClick={() => forgetKey()}>
            Forget key
          </button>
        </div>
      )}
    </header>
  );
}

export function App() {
  const key = apiKey.value;

  useEffect(() => {
    if (key) loadAll(key);
    else reset();
  }, [key]);

  return (
    <>
      <Header signedInAs={key ? maskKey(key) : null} />
      <main class="page">
        {key ? (
          <>
            <ChatbotList />
            <PluginList />
          </>
        ) : (
          <KeyForm />
        )}
      </main>
    </>
  );
}
