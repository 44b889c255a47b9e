import type { Key, Strings } from './i18n';

/** Thrown when the session is refused; `notice` names the string the panel shows. */
export class SessionError extends Error {
  constructor(
    readonly notice: Key,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The notice for a refused session: a page whose origin the widget key does not list gets a plain explanation
 * (403 `origin_not_allowed`, docs/widget-api.md), anything else the generic "The reply failed.".
 */
export const sessionNotice = (status: number, code: string | undefined): Key =>
  status === 403 && code === 'origin_not_allowed' ? 'blocked' : 'error';

/** The text of a notice, with the page's origin filled in where the string names it. */
export const noticeText = (t: Strings, notice: string, origin: string): string =>
  notice ? (t[notice as Key] ?? t.error).replace('{origin}', origin) : '';
