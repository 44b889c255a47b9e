// Vite's `?inline` suffix imports a file as a base64 data URL; tests load binary sample documents with it
// (fixtures.ts). Office extensions are declared as assets in vitest.config.ts.
declare module '*?inline' {
  const dataUrl: string;
  export default dataUrl;
}
