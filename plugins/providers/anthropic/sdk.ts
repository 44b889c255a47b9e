/**
 * `@anthropic-ai/sdk`, evaluated on first use rather than when the Worker starts: every isolate (and every test file)
 * imports the whole plugin registry, and most never call Claude. Memoised, so later calls share one module.
 */
let sdk: Promise<typeof import('@anthropic-ai/sdk')> | undefined;

export const anthropicSdk = (): Promise<typeof import('@anthropic-ai/sdk')> => (sdk ??= import('@anthropic-ai/sdk'));
