import pg from 'pg';
import type { Clock } from '../clock.js';
import type { StatusPageConfig } from '../config/status-page-config.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { loadStatusSnapshot } from './load-status-snapshot.js';
import { STATUS_PAGE_CHANNEL } from './notify-status-change.js';
import { renderStatusPage, type RenderedResponse } from './render-status-page.js';
import type { ScheduledMaintenanceProvider } from './scheduled-maintenances.js';

export interface StatusPageServiceDeps {
  db: Db;
  databaseUrl: string;
  page: StatusPageConfig;
  clock: Clock;
  log: Logger;
  maintenances: ScheduledMaintenanceProvider;
}

const DAY_MS = 86_400_000;
const RETRY_MAX_MS = 30_000;

/**
 * Keeps this process's rendered status page current: rendered at start, again on every
 * `status_page` notification (from any process) and at each UTC midnight (the history bars move
 * on). A lost listening connection is re-opened and followed by a re-render, since notifications
 * sent meanwhile are gone.
 */
export class StatusPageService {
  private routes: Map<string, RenderedResponse> | undefined;
  private listener: pg.Client | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private retryMs = 1_000;
  private timers = new Set<NodeJS.Timeout>();

  constructor(private readonly deps: StatusPageServiceDeps) {}

  /** The rendered response of a path; `not_ready` until the first render. */
  lookup = (path: string): RenderedResponse | undefined | 'not_ready' => (this.routes ? this.routes.get(path) : 'not_ready');

  async start(): Promise<void> {
    await this.listen();
    await this.refresh();
    this.scheduleMidnight();
  }

  /** Re-renders from the database; calls while one runs coalesce into one more run. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.render();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await this.running?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
  }

  private async render(): Promise<void> {
    const now = this.deps.clock.now();
    try {
      const snapshot = await loadStatusSnapshot(this.deps.db, now, this.deps.maintenances);
      this.routes = renderStatusPage(this.deps.page, snapshot, now);
      this.retryMs = 1_000;
      this.deps.log.debug({ incidents: snapshot.incidents.length }, 'status page rendered');
    } catch (error) {
      // Keep serving what was rendered last; try again with backoff.
      this.deps.log.warn({ err: error, retryInMs: this.retryMs }, 'status page could not be re-rendered; serving the last render');
      this.later(this.retryMs, () => void this.refresh());
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    }
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.deps.databaseUrl, application_name: 'incident-bot status page' });
    client.on('notification', (message) => {
      if (message.channel === STATUS_PAGE_CHANNEL) void this.refresh();
    });
    client.on('error', (error) => {
      this.deps.log.warn({ err: error }, 'status page lost its database notifications; reconnecting');
      void client.end().catch(() => undefined);
      this.reconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${STATUS_PAGE_CHANNEL}`);
    this.listener = client;
  }

  private reconnect(): void {
    if (this.stopped) return;
    this.later(this.retryMs, () => {
      this.listen().then(
        () => this.refresh(),
        (error: unknown) => {
          this.deps.log.warn({ err: error }, 'status page could not listen for changes yet');
          this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
          this.reconnect();
        },
      );
    });
  }

  private scheduleMidnight(): void {
    const now = this.deps.clock.now().getTime();
    this.later(DAY_MS - (now % DAY_MS) + 1_000, () => {
      void this.refresh();
      this.scheduleMidnight();
    });
  }

  private later(ms: number, run: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}
