/**
 * The `openai` package, evaluated on first use rather than when the Worker starts: every isolate (and every test file)
 * imports the whole plugin registry, and most never call OpenAI. Memoised, so later calls share one module.
 */
let sdk: Promise<typeof import('openai')> | undefined;

export const openaiSdk = (): Promise<typeof import('openai')> => (sdk ??= import('openai'));
