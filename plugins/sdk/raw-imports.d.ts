// Vite's `?raw` suffix imports a file's exact bytes as a string; tests use it for signed webhook fixtures, whose
// signatures cover the raw body.
declare module '*?raw' {
  const content: string;
  export default content;
}
