import type { ComponentChildren, VNode } from 'preact';
import { beforeAll, describe, expect, it } from 'vitest';
import { configure } from './client';
import { strings } from './i18n';
import { markdown } from './markdown';
import { type Cite, fromServer, type Msg } from './reducer';
import { refOf, Sources } from './Sources';

/** VNodes as markup, function components rendered: enough to see what a reader and a screen reader get. */
function html(node: ComponentChildren): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (Array.isArray(node)) return node.map(html).join('');
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  const vnode = node as VNode<Record<string, unknown>>;
  if (typeof vnode.type === 'function') return html((vnode.type as (p: unknown) => ComponentChildren)(vnode.props));
  const { children, ...props } = vnode.props;
  const attrs = Object.entries(props)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => ` ${key}="${String(value)}"`)
    .join('');
  return `<${String(vnode.type)}${attrs}>${html(children as ComponentChildren)}</${String(vnode.type)}>`;
}

const cite = (n: number, extra: Partial<Cite> = {}): Cite => ({
  n,
  documentId: `kdoc_${n}`,
  title: `Guide ${n}`,
  snippet: `Snippet ${n}`,
  ...extra,
});
const t = strings('en');
const reply = (status: string, cites: Cite[]): Msg => ({ id: 'm', role: 'assistant', text: '', status, at: 1, cites });
const ext = 'target="_blank" rel="noopener noreferrer"';

beforeAll(() => configure('https://chat.example.com', 'pk_test'));

describe('citations in the widget', () => {
  const cites = [
    cite(1, { page: 3, url: '/api/v1/knowledge/public-files/kdoc_1?t=abc' }),
    cite(2, { url: 'https://docs.example.com/a' }),
    cite(3),
    cite(4, { url: 'javascript:alert(1)' }),
  ];

  it('turns a complete reply’s [n] markers into superscript links with the source as label and tooltip', () => {
    const out = html(
      markdown('Reset it [1] and wait [2][3]. See [9] and [docs](https://x.example).', refOf(reply('complete', cites))),
    );
    expect(out).toContain(
      `<sup class="ref"><a href="https://chat.example.com/api/v1/knowledge/public-files/kdoc_1?t=abc" aria-label="1: Guide 1, p. 3" title="Snippet 1" ${ext}>1</a></sup>`,
    );
    expect(out).toContain(
      `<a href="https://docs.example.com/a" aria-label="2: Guide 2" title="Snippet 2" ${ext}>2</a>`,
    );
    // A private file's marker is labelled but links nowhere; a number the reply does not cite stays text.
    expect(out).toContain(
      '<sup class="ref"><span role="note" aria-label="3: Guide 3" title="Snippet 3">3</span></sup>',
    );
    expect(out).toContain('See [9] and <a href="https://x.example"');
  });

  it('leaves markers as text while the reply streams', () => {
    expect(html(markdown('Reset it [1].', refOf(reply('streaming', cites))))).toBe('<p>Reset it [1].</p>');
  });

  it('lists the sources numbered, linking only http(s) urls, with the snippet as tooltip', () => {
    const out = html(Sources({ cites, t }));
    expect(out.startsWith('<div class="srcs">Sources<ol aria-label="Sources">')).toBe(true);
    expect(out).toContain(
      `<li value="1" title="Snippet 1"><a href="https://chat.example.com/api/v1/knowledge/public-files/kdoc_1?t=abc" ${ext}>Guide 1, p. 3</a></li>`,
    );
    expect(out).toContain('<li value="3" title="Snippet 3">Guide 3</li>');
    expect(out).toContain('<li value="4" title="Snippet 4">Guide 4</li>');
    expect(out).not.toContain('javascript:');
  });

  it('reads citations from the server message’s metadata', () => {
    const msg = fromServer({
      id: 'm',
      role: 'assistant',
      content: 'x [1]',
      status: 'complete',
      metadata: { citations: cites },
    });
    expect(msg.cites).toEqual(cites);
    expect(fromServer({ id: 'n', role: 'assistant', content: 'x', status: 'complete' }).cites).toBeUndefined();
  });
});
