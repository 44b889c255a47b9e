import { z } from 'zod';
import type { JsonValue } from '../json.ts';

/**
 * Small value rules the built-in node kinds share (plugins/nodes/*), so a state key or a port written by one kind
 * reads the same in another. Plugins import only the SDK, hence here rather than in one plugin's folder.
 */

/** How a value reads as text: strings as they are, nothing as empty, everything else as JSON. */
export function asText(value: JsonValue | undefined): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

/** A state key: flat, so a key written by one node is read by another without path rules. */
export const stateKey = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, _ . - (at most 100)');

/** A router's output port name, as edges' `fromPort` accepts it. */
export const portName = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ - (at most 40)');

// Messages a node sends are stored as one row each and streamed: 8,000 characters matches OCS's reply sizes
// with room to spare and stays far below the 2 MB row limit.
export const MAX_REPLY_CHARS = 8_000;

/** The engine refuses longer tags (worker/pipelines/run-state.ts, MAX_TAG_CHARS). */
export const MAX_TAG_CHARS = 50;
