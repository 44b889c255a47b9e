// What test/global-setup.ts provides to every test file through `inject()`.
export {};

declare module 'vitest' {
  /** Base URLs of the fake external services (plugins/<kind>s/<id>/fake/server.ts), by name. */
  export interface ProvidedContext {
    fakeServers: Record<string, string>;
  }
}
