import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { atomFeed, MALFORMED_FEED, ROBOTS_TXT, rssFeed, sitePage } from './simulated-web.content';

export interface SimulatedWebOptions {
  port?: number;
  /** Delay of the `slow` sites, in ms. */
  slowMs?: number;
}

/** The simulated businesses' websites: `/sites/<kind>/<slug>/` on 127.0.0.1 (see SITE_KINDS). */
export class SimulatedWebServer {
  private server?: Server;
  private baseUrl?: string;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: SimulatedWebOptions = {}) {}

  get url(): string {
    if (!this.baseUrl) throw new Error('simulated web server not started');
    return this.baseUrl;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/robots.txt') return send(res, 200, 'text/plain', ROBOTS_TXT);
    const match = /^\/sites\/([a-z-]+)\/([a-z0-9-]+)\/(feed\.xml|atom\.xml)?$/.exec(path);
    if (!match) return send(res, 404, 'text/plain', 'not found');
    const [, kind, slug, file] = match;
    if (file === 'feed.xml')
      return send(
        res,
        200,
        'application/rss+xml',
        kind === 'bad-feed' ? MALFORMED_FEED : rssFeed(slug),
      );
    if (file === 'atom.xml') return send(res, 200, 'application/atom+xml', atomFeed(slug));
    if (kind === 'broken') return send(res, 500, 'text/html', '<h1>Internal Server Error</h1>');
    if (kind === 'redirect') {
      res.writeHead(301, { Location: `/sites/plain/${slug}/` });
      return void res.end();
    }
    if (kind === 'slow') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        send(res, 200, 'text/html', sitePage(kind, slug));
      }, this.options.slowMs ?? 1_500);
      this.timers.add(timer);
      return;
    }
    send(res, 200, 'text/html; charset=utf-8', sitePage(kind, slug));
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
