import type { AnyPlugin } from '../../plugins/sdk/index.ts';
import { ApiError } from '../http/errors.ts';

/**
 * Settings of plugin configurations (worker/plugin-configs) as the API receives them: validated by the plugin's
 * schema, and patched over what is stored.
 */

/** One offending field of a request, as every 400 lists them (worker/http/errors.ts). */
interface FieldIssue {
  field: string;
  message: string;
}

const invalid = (details: FieldIssue[]) =>
  new ApiError(400, 'invalid_request', `Invalid ${[...new Set(details.map((d) => d.field))].join(', ')}`, details);

/**
 * Validates a plugin instance's full settings (public and secret) with the plugin's schema and returns them parsed,
 * defaults applied. Unknown keys are refused rather than dropped, so a misspelt setting is noticed when it is saved. Issue
 * messages come from the schema and never quote the submitted value, so a secret cannot leak through a 400.
 */
export function parsePluginSettings(plugin: AnyPlugin, submitted: Record<string, unknown>) {
  const known = new Set(Object.keys(plugin.settings.shape));
  const details: FieldIssue[] = Object.keys(submitted)
    .filter((key) => !known.has(key))
    .map((key) => ({ field: `body.settings.${key}`, message: `unknown setting of the ${plugin.id} plugin` }));
  const result = plugin.settings.safeParse(submitted);
  if (!result.success) {
    for (const issue of result.error.issues) {
      details.push({ field: ['body', 'settings', ...issue.path.map(String)].join('.'), message: issue.message });
    }
  }
  if (details.length > 0 || !result.success) throw invalid(details);
  return result.data as Record<string, unknown>;
}

/**
 * A settings patch over the stored settings: each key sent replaces its value, `null` removes it (back to the
 * default, or unset), and a key not sent — a secret the client cannot read back, typically — keeps its value.
 */
export function mergeSettings(
  stored: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
