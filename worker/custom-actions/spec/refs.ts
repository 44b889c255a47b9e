import { isRecord, type SpecIssue } from './types.ts';

/**
 * Local `$ref` handling for OpenAPI documents, written in house (m2-architecture §5.2: the OpenAPI parsers that
 * dereference also validate with ajv, which needs `eval`). Only refs inside the document ("#/components/…") are
 * followed; an external ref ("other.yaml#/…", "https://…") would make the Worker fetch or read files on a spec
 * author's behalf, so parseSpec refuses it.
 */

/**
 * A `$ref` being expanded is never expanded again inside itself: a cycle (a tree node whose children are tree nodes)
 * is cut at its first repetition and becomes `{}` (any value). Chains of distinct refs nest at most MAX_REF_DEPTH
 * deep; real specs nest a handful (the GitHub REST spec's deepest chain is under 10), so 32 only stops pathological
 * documents.
 */
export const MAX_REF_DEPTH = 32;

/**
 * At most this many JSON nodes are produced when one value is dereferenced: a document where each schema refers to
 * the next one twice doubles at every level (a "billion laughs" of refs), and a tool schema is sent to the model
 * on every turn. 20,000 nodes is about 1 MB of JSON, well past any useful tool schema.
 */
export const MAX_DEREF_NODES = 20_000;

/** Formats an issue path: `["paths", "/pets/{id}", "get", "parameters", 0]` → `paths./pets/{id}.get.parameters[0]`. */
export function issuePath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** The JSON pointer of a local ref as segments ("#/components/schemas/Pet" → ["components","schemas","Pet"]). */
export function refSegments(ref: string): string[] | null {
  if (!ref.startsWith('#')) return null;
  const pointer = ref.slice(1);
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return null; // "#Pet" is an anchor: not supported (no `$anchor` index is kept).
  let decoded: string;
  try {
    decoded = decodeURIComponent(pointer);
  } catch {
    return null;
  }
  return decoded
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value a local ref points at, or `undefined` when the ref is external or points at nothing. */
export function resolveRef(document: unknown, ref: string): unknown {
  const segments = refSegments(ref);
  if (segments === null) return undefined;
  let node: unknown = document;
  for (const segment of segments) {
    if (Array.isArray(node)) node = /^\d+$/.test(segment) ? node[Number(segment)] : undefined;
    else if (isRecord(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** Every `$ref` of the document that is external or points at nothing, with where it is. */
export function refIssues(document: Record<string, unknown>, maxIssues = 20): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const seen = new WeakSet<object>(); // YAML aliases share nodes: walk each one once.
  const walk = (node: unknown, path: Array<string | number>): void => {
    if (issues.length >= maxIssues || typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        walk(item, [...path, index]);
      });
      return;
    }
    const record = node as Record<string, unknown>;
    const ref = record.$ref;
    // In a schema's `properties`, a property may be named "$ref"; its value is then a schema, not a string.
    if (typeof ref === 'string') {
      const at = issuePath([...path, '$ref']);
      if (!ref.startsWith('#')) {
        issues.push({
          path: at,
          message: `external $ref "${ref}" is not supported: put the definition in this document`,
        });
      } else if (refSegments(ref) === null) {
        issues.push({ path: at, message: `$ref "${ref}" is not a JSON pointer ("#/components/…")` });
      } else if (resolveRef(document, ref) === undefined) {
        issues.push({ path: at, message: `$ref "${ref}" points at nothing in this document` });
      }
    }
    for (const [key, value] of Object.entries(record)) walk(value, [...path, key]);
  };
  walk(document, []);
  return issues;
}

export class DerefBudgetError extends Error {}

/**
 * A deep copy of `value` with every local `$ref` replaced by what it points at (siblings of the `$ref`, such as a
 * 3.1 `description`, override the target's). Cycles and over-deep chains become `{}`; a result over
 * MAX_DEREF_NODES throws DerefBudgetError. Refs that do not resolve also become `{}` (parseSpec reports them first).
 */
export function dereference(value: unknown, document: unknown): unknown {
  let nodes = 0;
  const copy = (node: unknown, stack: readonly string[]): unknown => {
    nodes += 1;
    if (nodes > MAX_DEREF_NODES)
      throw new DerefBudgetError(`more than ${MAX_DEREF_NODES} nodes once $refs are resolved`);
    if (Array.isArray(node)) return node.map((item) => copy(item, stack));
    if (!isRecord(node)) return node;
    const ref = node.$ref;
    if (typeof ref === 'string') {
      const { $ref: _ref, ...siblings } = node;
      if (stack.includes(ref) || stack.length >= MAX_REF_DEPTH) return copy(siblings, stack);
      const target = resolveRef(document, ref);
      const resolved = target === undefined ? {} : copy(target, [...stack, ref]);
      const rest = copy(siblings, stack) as Record<string, unknown>;
      return isRecord(resolved) ? { ...resolved, ...rest } : resolved;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(node)) out[key] = copy(item, stack);
    return out;
  };
  return copy(value, []);
}
