// One constant-time comparison for the whole codebase: plugins verify webhook signatures with it, so it lives in
// the plugin SDK (the worker may import the SDK; plugins may not import the worker).
export { constantTimeEqual } from '../../plugins/sdk/crypto.ts';
