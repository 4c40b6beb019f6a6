/**
 * HTTP transport: a node:http server on 127.0.0.1 (port 0 = any free port) feeding the dispatcher.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpReply, HttpRequestInfo } from './dispatcher.js';

export interface RunningServer {
  /** Origin, e.g. `http://127.0.0.1:41234/`. */
  origin: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startHttpServer(
  handle: (req: HttpRequestInfo) => Promise<HttpReply>,
  port = 0,
): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const body = await readBody(req);
        const reply = await handle({
          httpMethod: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        });
        if (reply.drop) {
          req.socket.destroy();
          return;
        }
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(err instanceof Error ? err.message : String(err));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${actual}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // fetch keeps connections alive; drop them so close() resolves promptly.
        server.closeAllConnections();
      }),
  };
}
