import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Stands in for an application's ops API: a health check, a slow endpoint and counted mitigations. */
export async function startOpsService(): Promise<{ url: string; calls: Map<string, number>; close(): Promise<void> }> {
  const calls = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'healthy', dependencies: { database: 'up', redis: 'up' } }));
    } else if (req.url === '/slow') {
      setTimeout(() => res.writeHead(200).end('late'), 5_000).unref();
    } else if (req.url === '/api/ops/jobs/pause' && req.method === 'POST') {
      setTimeout(() => res.writeHead(202, { 'content-type': 'application/json' }).end('{"paused":true}'), 300);
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
