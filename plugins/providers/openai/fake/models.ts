/**
 * The fake account's models. Real ids behave like real models of their kind; `fake-*` ids pick a scenario
 * (see openai.server.ts). Non-chat models are listed, as the real models endpoint lists them, but refuse to chat.
 */
export interface FakeModel {
  id: string;
  chat: boolean;
  /** Reasoning models reject sampling parameters and `max_tokens`, like o-series and gpt-5. */
  reasoning: boolean;
  created: number;
}

const chat = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-nano'];
const reasoning = ['o3-mini', 'gpt-5-mini'];
const nonChat = [
  'text-embedding-3-small',
  'whisper-1',
  'tts-1',
  'dall-e-3',
  'omni-moderation-latest',
  'gpt-4o-realtime-preview',
];
export const SCENARIOS = [
  'fake-echo',
  'fake-system',
  'fake-tool',
  'fake-script',
  'fake-429-once',
  'fake-429',
  'fake-500',
  'fake-400',
  'fake-slow',
  'fake-stall',
  'fake-stall-once',
  'fake-stream-error',
  'fake-cut',
  'fake-length',
  'fake-filter',
] as const;

// Deliberately unsorted, as the real endpoint returns them, so the plugin's sorting is tested.
export const MODELS: FakeModel[] = [
  ...[...SCENARIOS].reverse().map((id) => ({ id, chat: true, reasoning: false, created: 1_700_000_000 })),
  ...nonChat.map((id) => ({ id, chat: false, reasoning: false, created: 1_690_000_000 })),
  ...chat.map((id) => ({ id, chat: true, reasoning: false, created: 1_710_000_000 })),
  ...reasoning.map((id) => ({ id, chat: true, reasoning: true, created: 1_720_000_000 })),
];

export function findModel(id: string): FakeModel | undefined {
  return MODELS.find((model) => model.id === id);
}

/** The models list body: `{ object: 'list', data: [...] }` (platform.openai.com/docs/api-reference/models/list). */
export function modelsList(): Record<string, unknown> {
  return {
    object: 'list',
    data: MODELS.map((model) => ({
      id: model.id,
      object: 'model',
      created: model.created,
      owned_by: ownedBy(model.id),
    })),
  };
}

function ownedBy(id: string): string {
  if (id.startsWith('fake-')) return 'parley-tests';
  return id.startsWith('gpt-') || /^o\d/.test(id) ? 'system' : 'openai-internal';
}
