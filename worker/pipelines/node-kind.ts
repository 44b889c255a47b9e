/** The node-kind contract lives in the plugin SDK (plugins/sdk/node/); the engine's files import it from here. */
export type { JsonPrimitive, JsonValue } from '../../plugins/sdk/json.ts';
export {
  DEFAULT_PORT,
  defineNodeKind,
  type NodeContext,
  NodeError,
  type NodeInput,
  type NodeKind,
  type NodeReference,
  type NodeStateApi,
  type NodeToolCall,
  type StateScope,
  stateScopes,
} from '../../plugins/sdk/node/kind.ts';
