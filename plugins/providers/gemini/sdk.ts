/**
 * `@google/genai`, evaluated on first use rather than when the Worker starts: every isolate (and every test file)
 * imports the whole plugin registry, and most never call Gemini. Memoised, so later calls share one module.
 */
let sdk: Promise<typeof import('@google/genai')> | undefined;

export const geminiSdk = (): Promise<typeof import('@google/genai')> => (sdk ??= import('@google/genai'));
