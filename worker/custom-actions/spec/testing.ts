import bookingsJson from './fixtures/bookings-3.1.json?raw';
import petstoreYaml from './fixtures/petstore-3.0.yaml?raw';
import { parseSpec } from './parse.ts';
import type { ParsedSpec } from './types.ts';

/** The spec fixtures as text (what a user pastes), for unit tests of the spec modules. */
export const PETSTORE_30_YAML: string = petstoreYaml;
export const BOOKINGS_31_JSON: string = bookingsJson;

/** Parses a document that must be valid; a test fails with the issues otherwise. */
export function mustParse(text: string): ParsedSpec {
  const result = parseSpec(text);
  if (!result.ok) throw new Error(`expected a valid spec: ${JSON.stringify(result.issues)}`);
  return result.spec;
}
