import { describe, expect, it } from 'vitest';
import { strings } from './i18n';
import { noticeText, sessionNotice } from './notice';

describe('session notices', () => {
  it('explains a disallowed origin plainly instead of "The reply failed."', () => {
    expect(sessionNotice(403, 'origin_not_allowed')).toBe('blocked');
    expect(sessionNotice(403, 'forbidden')).toBe('error');
    expect(sessionNotice(500, undefined)).toBe('error');
    const t = strings('en');
    expect(noticeText(t, sessionNotice(403, 'origin_not_allowed'), 'https://x.example')).toBe(
      "This website (https://x.example) is not allowed to use this chatbot. Its owner can add it under the chatbot's widget keys.",
    );
    expect(noticeText(t, 'error', 'https://x.example')).toBe('The reply failed.');
    expect(noticeText(t, '', 'https://x.example')).toBe('');
  });
});
