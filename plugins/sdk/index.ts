/** The plugin SDK: everything a plugin author imports comes from here. */

export type * from './channel.ts';
export type { Citation } from './citation.ts';
export { CITATION_SNIPPET_CHARS } from './citation.ts';
export type { Clock } from './clock.ts';
export { checkManifest, definePlugin, settingsJsonSchema, splitSecrets } from './define.ts';
export type * from './email.ts';
export { EmailError } from './email.ts';
export { addressOf, fromAddressSetting } from './email-address.ts';
export type * from './embedder.ts';
export { EmbedderError } from './embedder.ts';
export type * from './json.ts';
export { sampleJson } from './json-sample.ts';
export { outputSchemaProblems, validateJson } from './json-schema.ts';
export type * from './kind.ts';
export { defineKind } from './kind.ts';
export { kinds } from './kinds/index.ts';
export {
  CHUNK_CHARS,
  chunkText,
  DEFAULT_MAX_INPUT_CHARS,
  type ExtractionSettings,
  extract,
  extractionFields,
  extractionTitles,
  mergeExtracted,
  outputSchemaField,
} from './node/extraction.ts';
export type * from './node/kind.ts';
export { DEFAULT_PORT, defineNodeKind, NodeError, stateScopes } from './node/kind.ts';
export { type KnowledgeSources, knowledgeSources } from './node/knowledge.ts';
export { CITE_BY_NUMBER, sourcesText } from './node/knowledge-text.ts';
export type * from './node/plugin.ts';
export type * from './node/sandbox.ts';
export type * from './node/services.ts';
export {
  conversationWindow,
  credentialReferences,
  DEFAULT_LLM_CALL,
  type LlmCallSettings,
  llmCallFields,
  llmCallTitles,
  type StructuredAnswer,
  type StructuredCall,
  structuredChat,
} from './node/structured-llm.ts';
export { DEFAULT_APPROVAL_TIMEOUT_SECONDS, type ToolApproval, toolApproval } from './node/tool-approval.ts';
export { asText, MAX_REPLY_CHARS, MAX_TAG_CHARS, portName, stateKey } from './node/values.ts';
export type * from './plugin.ts';
export type * from './provider.ts';
export type * from './registry.ts';
export { createRegistry } from './registry.ts';
export type * from './reranker.ts';
export { RerankerError } from './reranker.ts';
export { retryAfterMs } from './retry-after.ts';
export {
  DEFAULT_TEMPLATE_LIMITS,
  parseTemplate,
  renderTemplate,
  type TemplateLimits,
} from './template/render.ts';
export { titled } from './titles.ts';
export type * from './tool.ts';
