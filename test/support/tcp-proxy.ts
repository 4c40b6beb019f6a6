import net from 'node:net';

/**
 * A TCP proxy in front of a real service, so a test can take Postgres or Redis "down" for the
 * bot (refusing connections and cutting the open ones) and bring it back on the same port.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private holding = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      this.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      // While holding, what the bot sends never reaches the service: its queries stay in flight, unanswered.
      client.on('data', (chunk: Buffer) => {
        if (!this.holding) upstream.write(chunk);
      });
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Keeps back everything the bot sends from now on: requests already sent stay in flight until `down()` cuts them. */
  hold(): void {
    this.holding = true;
  }

  /**
   * Stops listening and cuts every open connection: the service is "down". `gracefully` closes
   * them as a host going away cleanly does (a FIN, not a reset): the client sees its connection
   * end in the middle of a request.
   */
  async down(options: { gracefully?: boolean } = {}): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) {
      if (options.gracefully) socket.end();
      else socket.destroy();
    }
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.holding = false;
  }

  /** Listens again on the same port: the service is back. */
  async up(): Promise<void> {
    if (!this.server) await this.start();
  }

  urlFor(base: string): string {
    const url = new URL(base);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }
}
