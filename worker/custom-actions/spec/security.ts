import { dereference } from './refs.ts';
import { isRecord, type ParsedSpec, type SecuritySchemeInfo, type SecuritySchemeType } from './types.ts';

/**
 * The document's `components.securitySchemes`, reduced to what the auth form and ca-core's caller need: where an
 * API key goes and under which name, the HTTP scheme (bearer, basic), the OAuth 2 token URL. `mutualTLS` (3.1) is
 * left out: a Worker cannot present a client certificate per action.
 */
export function securitySchemes(spec: ParsedSpec): Record<string, SecuritySchemeInfo> {
  const components = isRecord(spec.document.components) ? spec.document.components : {};
  const schemes = isRecord(components.securitySchemes) ? components.securitySchemes : {};
  const out: Record<string, SecuritySchemeInfo> = {};
  for (const [name, raw] of Object.entries(schemes)) {
    const scheme = dereference(raw, spec.document);
    if (!isRecord(scheme) || !isSchemeType(scheme.type)) continue;
    const info: SecuritySchemeInfo = { type: scheme.type };
    if (scheme.type === 'apiKey') {
      if (scheme.in === 'header' || scheme.in === 'query' || scheme.in === 'cookie') info.in = scheme.in;
      if (typeof scheme.name === 'string') info.name = scheme.name;
    }
    // HTTP auth scheme names are case-insensitive (RFC 9110 §11.1): "Bearer" and "bearer" are one scheme.
    if (scheme.type === 'http' && typeof scheme.scheme === 'string') info.scheme = scheme.scheme.toLowerCase();
    if (scheme.type === 'oauth2') {
      const tokenUrl = oauthTokenUrl(scheme.flows);
      if (tokenUrl) info.tokenUrl = tokenUrl;
    }
    out[name] = info;
  }
  return out;
}

const SCHEME_TYPES: readonly SecuritySchemeType[] = ['apiKey', 'http', 'oauth2', 'openIdConnect'];
const isSchemeType = (value: unknown): value is SecuritySchemeType =>
  typeof value === 'string' && (SCHEME_TYPES as readonly string[]).includes(value);

/** The client-credentials flow's token URL (the only flow a server-side caller can run), else any flow's. */
function oauthTokenUrl(flows: unknown): string | undefined {
  if (!isRecord(flows)) return undefined;
  const order = ['clientCredentials', 'password', 'authorizationCode'];
  for (const key of order) {
    const flow = flows[key];
    if (isRecord(flow) && typeof flow.tokenUrl === 'string') return flow.tokenUrl;
  }
  return undefined;
}
