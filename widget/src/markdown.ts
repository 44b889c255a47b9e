/**
 * A tiny, safe markdown subset rendered straight to Preact VNodes (never HTML strings, so text can never become
 * markup): **bold**, *italic* or _italic_, `code`, [links](https://…) (http, https and mailto only), - / 1. lists,
 * ``` fenced code blocks, paragraphs and line breaks. Anything else stays literal text.
 */
import type { ComponentChildren, VNode } from 'preact';
import { h } from 'preact';

const INLINE =
  /`([^`\n]+)`|\*\*(.+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*|\b_([^_\s](?:[^_]*[^_\s])?)_\b|\[([^\]\n]+)\]\(([^)\s]+)\)|\[(\d{1,3})\]/g;

/** Renders a reply's `[n]` citation marker (a link once the reply is complete); without one it stays text. */
export type Ref = (n: number) => ComponentChildren;

export function safeHref(url: string): string | null {
  return /^(https?:\/\/|mailto:)/i.test(url.trim()) ? url.trim() : null;
}

export function inline(text: string, ref?: Ref): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    last = at + m[0].length;
    if (m[1] !== undefined) out.push(h('code', null, m[1]));
    else if (m[2] !== undefined) out.push(h('strong', null, inline(m[2], ref)));
    else if (m[3] !== undefined || m[4] !== undefined) out.push(h('em', null, inline(m[3] ?? m[4] ?? '', ref)));
    else if (m[7] !== undefined) out.push(ref?.(+m[7]) ?? m[0]);
    else {
      const href = safeHref(m[6] ?? '');
      const label = inline(m[5] ?? '', ref);
      out.push(href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label) : label);
    }
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function lines(text: string[], ref?: Ref): ComponentChildren[] {
  return text.flatMap((line, i) => (i ? [h('br', null), ...inline(line, ref)] : inline(line, ref)));
}

const ITEM = /^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$/;

export function markdown(source: string, ref?: Ref): VNode[] {
  const out: VNode[] = [];
  const all = source.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(h('p', null, lines(para, ref)));
    para = [];
  };
  for (let i = 0; i < all.length; i++) {
    const line = all[i] as string;
    if (/^\s*```/.test(line)) {
      flush();
      const code: string[] = [];
      while (++i < all.length && !/^\s*```/.test(all[i] as string)) code.push(all[i] as string);
      out.push(h('pre', null, h('code', null, code.join('\n'))));
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      flush();
      const ordered = item[1] !== undefined;
      const items: VNode[] = [];
      let m: RegExpExecArray | null = item;
      for (;;) {
        items.push(h('li', null, inline(m[2] ?? '', ref)));
        m = ITEM.exec(all[i + 1] ?? '');
        if (!m || (m[1] !== undefined) !== ordered) break;
        i++;
      }
      out.push(h(ordered ? 'ol' : 'ul', null, items));
      continue;
    }
    if (line.trim()) para.push(line);
    else flush();
  }
  flush();
  return out;
}
