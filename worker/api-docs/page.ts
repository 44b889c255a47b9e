/** The readable API reference: server-rendered from the OpenAPI document, no script, no external resource. */

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
}
interface MediaTypes {
  content?: Record<string, { schema?: unknown }>;
}
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  'x-scope'?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: MediaTypes & { required?: boolean };
  responses?: Record<string, MediaTypes & { description?: string }>;
}
interface Document {
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const html = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

// Inline code spans are the only markup the descriptions use.
const prose = (text: string) => html(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const anchor = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** A one-line type for a JSON schema: `string`, `integer 1–100`, `Error`, `array of ChatbotSummary`, … */
function typeOf(schema: unknown): string {
  if (!schema || typeof schema !== 'object') return 'any';
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.split('/').pop() ?? s.$ref;
    return `<a href="#schema-${anchor(name)}">${html(name)}</a>`;
  }
  if (Array.isArray(s.enum)) return s.enum.map((value) => `<code>${html(JSON.stringify(value))}</code>`).join(' | ');
  if (Array.isArray(s.anyOf)) return s.anyOf.map(typeOf).join(' | ');
  if (Array.isArray(s.oneOf)) return s.oneOf.map(typeOf).join(' | ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : typeof s.type === 'string' ? s.type : 'object';
  if (type === 'array') return `array of ${typeOf(s.items)}`;
  const range = [s.minimum ?? s.minLength, s.maximum ?? s.maxLength].some((v) => v !== undefined)
    ? ` ${s.minimum ?? s.minLength ?? ''}–${s.maximum ?? s.maxLength ?? ''}`
    : '';
  return html(type + range);
}

function schemaBlock(schema: unknown): string {
  if (!schema) return '';
  return `<p class="type">${typeOf(schema)}</p><details><summary>Schema</summary><pre>${html(
    JSON.stringify(schema, null, 2),
  )}</pre></details>`;
}

function contentBlock(media: MediaTypes | undefined): string {
  return Object.entries(media?.content ?? {})
    .map(([type, { schema }]) => `<div class="media"><code>${html(type)}</code>${schemaBlock(schema)}</div>`)
    .join('');
}

function parametersTable(parameters: Parameter[]): string {
  if (parameters.length === 0) return '';
  const rows = parameters
    .map(
      (p) =>
        `<tr><td><code>${html(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td>` +
        `<td>${html(p.in)}</td><td>${typeOf(p.schema)}</td><td>${prose(p.description ?? '')}</td></tr>`,
    )
    .join('');
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** How an operation authenticates: an API key's scope, a widget token or key (worker/widget/api-schemas.ts), or nothing. */
function access(op: Operation): string {
  if (op['x-scope']) {
    return `<p>Scope: <code>${html(op['x-scope'])}</code> (API key, <code>Authorization: Bearer prl_…</code>)</p>`;
  }
  const schemes = new Set((op.security ?? []).flatMap((requirement) => Object.keys(requirement)));
  if (schemes.has('widgetToken')) {
    return '<p>Widget token: <code>Authorization: Bearer v1.…</code> or <code>?token=</code>, from the session’s page origin.</p>';
  }
  if (schemes.has('widgetKey')) {
    return '<p>Widget key: <code>widgetKey</code> in the body, from a page origin the key allows.</p>';
  }
  return '<p>Public: no API key needed.</p>';
}

function operationSection(method: string, path: string, op: Operation): string {
  const id = anchor(`${method} ${path}`);
  const scope = access(op);
  const body = op.requestBody
    ? `<h4>Request body${op.requestBody.required ? ' <span class="req">required</span>' : ''}</h4>${contentBlock(op.requestBody)}`
    : '';
  const responses = Object.entries(op.responses ?? {})
    .map(
      ([status, response]) =>
        `<tr><td><code>${html(status)}</code></td><td>${prose(response.description ?? '')}${contentBlock(response)}</td></tr>`,
    )
    .join('');
  return `<section class="op" id="${id}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${html(path)}</code></h3>
<p class="summary">${prose(op.summary ?? '')}</p>${op.description ? `<p>${prose(op.description)}</p>` : ''}
${scope}${parametersTable(op.parameters ?? [])}${body}
<h4>Responses</h4><table><tbody>${responses}</tbody></table>
</section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2430;background:#fafbfc}
main{max-width:960px;margin:0 auto;padding:24px}nav ul{columns:2;padding-left:18px}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{background:#f1f3f6;padding:10px;overflow:auto;border-radius:4px}
.op{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:4px 18px 12px;margin:18px 0}
.method{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:2px 6px}
.get{background:#2f6fd6}.post{background:#23884d}.put,.patch{background:#b06d00}.delete{background:#c0392b}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #e6e9ee;padding:6px 8px;text-align:left;vertical-align:top}
.req{color:#c0392b;font-size:12px}.type{margin:4px 0}.summary{font-weight:600}`;

export function renderApiReference(document: Document): string {
  const operations: { tag: string; method: string; path: string; op: Operation }[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op) operations.push({ tag: op.tags?.[0] ?? 'Other', method, path, op });
    }
  }
  const tags = [...new Set(operations.map((o) => o.tag))];
  const toc = operations
    .map((o) => `<li><a href="#${anchor(`${o.method} ${o.path}`)}">${o.method.toUpperCase()} ${html(o.path)}</a></li>`)
    .join('');
  const sections = tags
    .map(
      (tag) =>
        `<h2 id="tag-${anchor(tag)}">${html(tag)}</h2>` +
        operations
          .filter((o) => o.tag === tag)
          .map((o) => operationSection(o.method, o.path, o.op))
          .join('\n'),
    )
    .join('\n');
  const schemas = Object.entries(document.components?.schemas ?? {})
    .map(([name, schema]) => `<h3 id="schema-${anchor(name)}">${html(name)}</h3>${schemaBlock(schema)}`)
    .join('\n');
  const { info } = document;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${html(info.title)} API reference</title><style>${STYLE}</style></head>
<body><main>
<h1>${html(info.title)} API <small>v${html(info.version)}</small></h1>
<p>${prose(info.description ?? '')}</p>
<p>Base URL: <code>${html(document.servers?.[0]?.url ?? '')}</code> · Machine-readable:
<a href="/api/v1/openapi.json">OpenAPI 3.1 document</a></p>
<nav><h2>Operations</h2><ul>${toc}</ul></nav>
${sections}
<h2 id="schemas">Schemas</h2>
${schemas}
</main></body></html>`;
}
