import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ConfigError } from '../config/config-error.js';
import type { StatusPageConfig } from '../config/status-page-config.js';
import type { Deps } from '../deps.js';
import { noScheduledMaintenances, type ScheduledMaintenanceProvider } from './scheduled-maintenances.js';
import { createStatusListener } from './status-listener.js';
import { StatusPageService } from './status-page-service.js';

/** Refuses a status page on the bot's own port (checked before anything starts). */
export function checkStatusPagePort(page: StatusPageConfig | undefined, botPort: number): void {
  if (page && page.port !== 0 && page.port === botPort) throw new ConfigError(`status_page.port ${page.port} is also PORT, the bot's own listener: give the status page a port of its own (e.g. 3001), so it can be exposed alone`);
}

/** Renders the status page, keeps it current, and serves it on its own port. */
export async function startStatusPage(
  deps: Pick<Deps, 'db' | 'env' | 'clock' | 'log'>,
  page: StatusPageConfig,
  listen: (server: Server, port: number) => Promise<void>,
  maintenances: ScheduledMaintenanceProvider = noScheduledMaintenances,
): Promise<{ url: string; stop(): Promise<void> }> {
  const log = deps.log.child({ component: 'status-page' });
  const service = new StatusPageService({ db: deps.db, databaseUrl: deps.env.DATABASE_URL, page, clock: deps.clock, log, maintenances });
  await service.start();
  const server = createStatusListener(service.lookup);
  await listen(server, page.port);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ listening: url, publicUrl: page.public_url }, 'status page listener ready');
  return {
    url,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await service.stop();
    },
  };
}
