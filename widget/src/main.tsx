/**
 * The embeddable chat widget. A host page adds:
 *
 *   <script src="https://<parley-host>/widget.js" data-key="wk_…" async></script>
 *
 * and the widget mounts itself in a shadow root on a `<parley-widget>` element at the end of <body>, so the host
 * page's CSS cannot reach its markup.
 */
import { render } from 'preact';
import { Widget } from './Widget';

const HOST_TAG = 'parley-widget';

// Only valid while this script's top level runs, so read it before anything is deferred.
const script = currentScript();

function currentScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[data-key][src*="widget.js"]');
}

function mount(): void {
  // Embedding the snippet twice must not produce two launchers.
  if (document.querySelector(HOST_TAG)) return;
  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  document.body.appendChild(host);
  render(<Widget widgetKey={script?.dataset.key?.trim() ?? ''} />, shadow);
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
