// A TCP proxy a test controls, to make a server (a database, Redis) unreachable and bring it back:
// cut() drops every connection and refuses new ones; restore() accepts again on the same port.
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpProxy {
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  get port(): number {
    return this.#port;
  }

  /** Starts listening (on a free port the first time, then on the same one). */
  async start(): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as { port: number }).port;
    return this.#port;
  }

  /** The target becomes unreachable: connections reset, new ones refused. */
  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Reachable again, on the same port. */
  restore(): Promise<number> {
    return this.start();
  }

  close(): Promise<void> {
    return this.cut();
  }
}
