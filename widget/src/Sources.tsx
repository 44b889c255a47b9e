/** A cited reply's references: its `[n]` markers as superscript links and the numbered source list under it. */
import { srcUrl } from './client';
import type { Key } from './i18n';
import { type Ref, safeHref } from './markdown';
import type { Cite, Msg } from './reducer';

type T = Record<Key, string>;

/** Where a source opens (http/https only), or nothing for a private file. */
const href = (c: Cite) => (c.url ? safeHref(srcUrl(c.url)) : null);
const label = (c: Cite) => c.title + (c.page ? `, p. ${c.page}` : '');
const ext = { target: '_blank', rel: 'noopener noreferrer' };

/** The numbered sources under a cited reply: title (and page), a link where there is one, the snippet on hover. */
export function Sources({ cites, t }: { cites: Cite[]; t: T }) {
  return (
    <div class="srcs">
      {t.sources}
      <ol aria-label={t.sources}>
        {cites.map((c) => {
          const url = href(c);
          return (
            <li key={c.n} value={c.n} title={c.snippet}>
              {url ? (
                <a href={url} {...ext}>
                  {label(c)}
                </a>
              ) : (
                label(c)
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** A `[n]` marker as a small superscript, linked to its source; text while the reply streams or cites no such n. */
export const refOf =
  (m: Msg): Ref =>
  (n) => {
    const c = m.status !== 'streaming' && m.cites?.find((x) => x.n === n);
    if (!c) return;
    const url = href(c);
    return (
      <sup class="ref">
        {url ? (
          <a href={url} aria-label={`${n}: ${label(c)}`} title={c.snippet} {...ext}>
            {n}
          </a>
        ) : (
          <span role="note" aria-label={`${n}: ${label(c)}`} title={c.snippet}>
            {n}
          </span>
        )}
      </sup>
    );
  };
