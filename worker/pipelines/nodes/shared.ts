/** The value rules moved to the SDK with the pure kinds (plugins/nodes/*); re-exported for the engine's files. */
export { asText, MAX_REPLY_CHARS, portName, stateKey } from '../../../plugins/sdk/node/values.ts';
