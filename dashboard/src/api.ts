/** A small typed client for the parts of the Parley REST API the dashboard uses. */

export interface ProviderSummary {
  id: string;
  displayName: string;
  /** True for providers that answer without an LLM (canned replies). */
  offline: boolean;
}

export interface Chatbot {
  id: string;
  slug: string;
  name: string;
  description: string;
  provider: ProviderSummary;
  model: string;
  /** Null until the chatbot has been published once. */
  publishedVersion: number | null;
}

export type PluginKind = 'provider' | 'channel' | 'tool';

export interface PluginInfo {
  id: string;
  kind: PluginKind;
  displayName: string;
  description: string;
  version: string;
  capabilities?: Record<string, unknown>;
  /** JSON Schema of the plugin's settings. */
  settingsSchema?: Record<string, unknown>;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Every failed request, whether the API answered `{"error": {...}}`, something else, or nothing at all. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Ends `text` with a full stop unless it already ends in punctuation, so messages can be followed by advice. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export interface ApiClient {
  listChatbots(cursor?: string | null, signal?: AbortSignal): Promise<Page<Chatbot>>;
  listPlugins(signal?: AbortSignal): Promise<PluginInfo[]>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function errorFrom(status: number, statusText: string, body: unknown): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(status, error.code, error.message);
  }
  return new ApiError(status, `http_${status}`, `The server answered ${status} ${statusText}`.trim());
}

function hasDataArray(body: unknown): body is { data: unknown[]; nextCursor?: unknown } {
  return isRecord(body) && Array.isArray(body.data);
}

export function createApiClient(apiKey: string, baseUrl = ''): ApiClient {
  async function get(path: string, signal?: AbortSignal): Promise<{ data: unknown[]; nextCursor?: unknown }> {
    let response: Response;
    try {
      response = await fetch(baseUrl + path, {
        headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
        signal,
      });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new ApiError(0, 'network_error', 'Could not reach the Parley API. Check your connection and try again.');
    }
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON (a proxy error page, an empty body): reported below with the status alone.
    }
    if (!response.ok) throw errorFrom(response.status, response.statusText, body);
    if (!hasDataArray(body)) throw new ApiError(response.status, 'bad_response', `Unexpected response from ${path}`);
    return body;
  }

  return {
    async listChatbots(cursor, signal) {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const body = await get(`/api/v1/chatbots${query}`, signal);
      return {
        data: body.data as Chatbot[],
        nextCursor: typeof body.nextCursor === 'string' ? body.nextCursor : null,
      };
    },
    async listPlugins(signal) {
      const body = await get('/api/v1/plugins', signal);
      return body.data as PluginInfo[];
    },
  };
}
