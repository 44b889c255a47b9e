import { splitFormatted } from '../../sdk/channel-helpers/split.ts';
import { formatSlack } from './format.ts';

/**
 * chat.postMessage truncates `text` beyond 40,000 characters, and Slack recommends keeping it to about 4,000 for
 * readability (https://docs.slack.dev/reference/methods/chat.postMessage#truncating); a section block holds 3,000
 * (https://docs.slack.dev/reference/block-kit/blocks/section-block). We split at 3,000.
 */
export const SLACK_MAX_TEXT = 40_000;
export const SLACK_SPLIT_AT = 3_000;

export function splitSlack(markdown: string): string[] {
  return splitFormatted(markdown, SLACK_SPLIT_AT, formatSlack);
}
