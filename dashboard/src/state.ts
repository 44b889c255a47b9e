/** What the dashboard has loaded, as signals the views read. */
import { signal } from '@preact/signals';
import type { ApiClient, Chatbot, PluginInfo } from './api';
import { ApiError, asSentence, createApiClient } from './api';
import { forgetKey } from './auth';

export type Resource<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: ApiError };

export interface ChatbotList {
  items: Chatbot[];
  nextCursor: string | null;
  loadingMore: boolean;
  /** Why the last "load more" failed; the chatbots already shown stay. */
  moreError: ApiError | null;
}

export const chatbots = signal<Resource<ChatbotList>>({ status: 'loading' });
export const plugins = signal<Resource<PluginInfo[]>>({ status: 'loading' });

let client: ApiClient | null = null;
let inFlight: AbortController | null = null;

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'client_error', error instanceof Error ? error.message : String(error));
}

/** A 401 means the key is wrong, revoked or expired: drop it and ask for another. Returns whether it was one. */
function handleUnauthorized(error: ApiError): boolean {
  if (error.status !== 401) return false;
  inFlight?.abort();
  forgetKey(`Parley rejected the API key: ${asSentence(error.message)} Enter a valid key to continue.`);
  return true;
}

async function loadChatbots(signal: AbortSignal): Promise<void> {
  if (!client) return;
  chatbots.value = { status: 'loading' };
  try {
    const page = await client.listChatbots(null, signal);
    chatbots.value = {
      status: 'ready',
      value: { items: page.data, nextCursor: page.nextCursor, loadingMore: false, moreError: null },
    };
  } catch (error) {
    if (signal.aborted) return;
    const apiError = toApiError(error);
    if (!handleUnauthorized(apiError)) chatbots.value = { status: 'error', error: apiError };
  }
}

async function loadPlugins(signal: AbortSignal): Promise<void> {
  if (!client) return;
  plugins.value = { status: 'loading' };
  try {
    plugins.value = { status: 'ready', value: await client.listPlugins(signal) };
  } catch (error) {
    if (signal.aborted) return;
    const apiError = toApiError(error);
    if (!handleUnauthorized(apiError)) plugins.value = { status: 'error', error: apiError };
  }
}

/** Starts over with `key`: cancels whatever was loading with the previous key. */
export function loadAll(key: string): void {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  client = createApiClient(key);
  void Promise.all([loadChatbots(controller.signal), loadPlugins(controller.signal)]);
}

export function retryChatbots(): void {
  if (inFlight) void loadChatbots(inFlight.signal);
}

export function retryPlugins(): void {
  if (inFlight) void loadPlugins(inFlight.signal);
}

export async function loadMoreChatbots(): Promise<void> {
  const current = chatbots.value;
  if (!client || !inFlight || current.status !== 'ready' || !current.value.nextCursor) return;
  const signal = inFlight.signal;
  const list = current.value;
  chatbots.value = { status: 'ready', value: { ...list, loadingMore: true, moreError: null } };
  try {
    const page = await client.listChatbots(list.nextCursor, signal);
    const items = [...list.items, ...page.data];
    chatbots.value = {
      status: 'ready',
      value: { items, nextCursor: page.nextCursor, loadingMore: false, moreError: null },
    };
  } catch (error) {
    if (signal.aborted) return;
    const apiError = toApiError(error);
    if (!handleUnauthorized(apiError)) {
      chatbots.value = { status: 'ready', value: { ...list, loadingMore: false, moreError: apiError } };
    }
  }
}

/** Forgets everything loaded with the current key. */
export function reset(): void {
  inFlight?.abort();
  inFlight = null;
  client = null;
  chatbots.value = { status: 'loading' };
  plugins.value = { status: 'loading' };
}
