import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for an application's ops API on loopback. */
export interface OpsService {
  url: string;
  port: number;
  requests: SeenRequest[];
  health: { status: string; dependencies: { database: string; redis: string } };
  pauseCalls: number;
  close(): Promise<void>;
}

export async function startOpsService(): Promise<OpsService> {
  const service = {
    requests: [] as SeenRequest[],
    health: { status: 'healthy', dependencies: { database: 'up', redis: 'up' } },
    pauseCalls: 0,
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    service.requests.push(seen);
    const path = new URL(seen.url, 'http://x').pathname;
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-1', 'set-cookie': 'session=should-not-show' });
      res.end(JSON.stringify(value));
    };
    if (path === '/health') return json(service.health.status === 'healthy' ? 200 : 503, service.health);
    if (path === '/slow') return void setTimeout(() => json(200, { slow: true }), 20_000).unref();
    if (path === '/big') return void res.end('x'.repeat(200 * 1024));
    if (path === '/api/ops/jobs/pause' && seen.method === 'POST') {
      service.pauseCalls += 1;
      return json(202, { paused: true, calls: service.pauseCalls });
    }
    if (path.endsWith('/echo') || path.startsWith('/items/') || path === '/api/admin/tasks') return json(200, seen);
    json(404, { error: 'not found', path });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(service, {
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}
