/**
 * Starts a fake's HTTP server on a free loopback port, as `fake/server.ts`'s `start()` returns it to
 * test/global-setup.ts: the base URL (plus `path`, e.g. `/v1` where the real API's base URL has one) and a `close`
 * that also ends open connections, since stalled streams would otherwise keep `close()` waiting.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningFake {
  url: string;
  close(): Promise<void>;
}

export async function listen(server: Server, path = ''): Promise<RunningFake> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
