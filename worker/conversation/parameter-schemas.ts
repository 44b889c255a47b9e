import type { z } from 'zod';
import type { ProviderPlugin } from '../../plugins/sdk/index.ts';

/**
 * `ProviderPlugin.parameters(model)` builds its zod schema on every call (the offline provider's is a
 * `z.strictObject` of four checks): ≈ 4 % of a turn's isolate time in the bench's V8 profile (bench/README.md,
 * m12-cpu). A plugin's parameter schema depends on the model alone (plugins/sdk/provider.ts), so each is built once
 * per isolate, per provider object and model.
 */
const schemas = new WeakMap<ProviderPlugin, Map<string, z.ZodObject>>();

export function parameterSchema(provider: ProviderPlugin, model: string): z.ZodObject {
  let byModel = schemas.get(provider);
  if (!byModel) {
    byModel = new Map();
    schemas.set(provider, byModel);
  }
  let schema = byModel.get(model);
  if (!schema) {
    schema = provider.parameters(model);
    byModel.set(model, schema);
  }
  return schema;
}
