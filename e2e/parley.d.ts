/** The part of widget/src/main.tsx's `window.Parley` the e2e steps call inside the page. */
interface Window {
  Parley: {
    open(): void;
    close(): void;
    sendMessage(text: string): Promise<void>;
    setContext(fields: Record<string, string | number | boolean>): void;
    on(event: 'message' | 'open' | 'close', fn: (payload: unknown) => void): () => void;
  };
}
