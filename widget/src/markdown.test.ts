import type { ComponentChildren, VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { markdown, safeHref } from './markdown';

/** Serialises VNodes the way a DOM would show them, escaping text: raw HTML in the input can only come out as text. */
function html(node: ComponentChildren): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (Array.isArray(node)) return node.map(html).join('');
  if (typeof node === 'string' || typeof node === 'number') {
    return String(node).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }
  const vnode = node as VNode<Record<string, unknown>>;
  const { children, ...props } = vnode.props;
  expect(typeof vnode.type).toBe('string');
  expect(props).not.toHaveProperty('dangerouslySetInnerHTML');
  const attrs = Object.entries(props)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => ` ${key}="${String(value)}"`)
    .join('');
  return `<${String(vnode.type)}${attrs}>${html(children as ComponentChildren)}</${String(vnode.type)}>`;
}

const render = (source: string) => html(markdown(source)).replace(/<\/br>/g, '');

describe('markdown', () => {
  it('renders bold, italics and inline code', () => {
    expect(render('a **b** *c* _d_ `e*f*`')).toBe(
      '<p>a <strong>b</strong> <em>c</em> <em>d</em> <code>e*f*</code></p>',
    );
    expect(render('**bold with _italic_**')).toBe('<p><strong>bold with <em>italic</em></strong></p>');
  });

  it('renders safe links with target and rel', () => {
    expect(render('[docs](https://example.com/a?b=1) and [mail](mailto:x@y.z)')).toBe(
      '<p><a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer">docs</a> and ' +
        '<a href="mailto:x@y.z" target="_blank" rel="noopener noreferrer">mail</a></p>',
    );
  });

  it('drops javascript:, data: and relative links, keeping their text', () => {
    for (const url of [
      'javascript:alert`1`',
      'JavaScript:void0',
      'data:text/html,<b>x</b>',
      '/relative',
      'vbscript:x',
    ]) {
      expect(render(`[click](${url})`)).toBe('<p>click</p>');
    }
    expect(render('[x](javascript:alert(1))')).not.toContain('<a');
    expect(safeHref(' javascript:alert(1)')).toBeNull();
    expect(safeHref('http://a.b')).toBe('http://a.b');
  });

  it('never produces HTML from raw HTML in the text', () => {
    const out = render('<img src=x onerror=alert(1)> <script>alert(1)</script> **<b>x</b>**');
    expect(out).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(1)&lt;/script&gt; <strong>&lt;b&gt;x&lt;/b&gt;</strong></p>',
    );
    const nodes = markdown('<div onclick="x">hi</div>');
    expect(html(nodes)).not.toContain('<div');
  });

  it('renders lists, code blocks, paragraphs and line breaks', () => {
    expect(render('Intro\n- one\n- **two**\n\n1. a\n2. b')).toBe(
      '<p>Intro</p><ul><li>one</li><li><strong>two</strong></li></ul><ol><li>a</li><li>b</li></ol>',
    );
    expect(render('```js\nconst a = "<b>";\n**not bold**\n```\nafter')).toBe(
      '<pre><code>const a = "&lt;b&gt;";\n**not bold**</code></pre><p>after</p>',
    );
    expect(render('line one\nline two\n\nnext')).toBe('<p>line one<br>line two</p><p>next</p>');
  });

  it('leaves unfinished markup (mid-stream) as text', () => {
    expect(render('a **half')).toBe('<p>a **half</p>');
    expect(render('```\npartial')).toBe('<pre><code>partial</code></pre>');
    expect(render('[link](https://exa')).toBe('<p>[link](https://exa</p>');
  });
});
