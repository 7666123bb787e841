import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface ConnectOptions {
  url: string;
  name: string;
  user?: string;
  pass?: string;
}

/** Connects to NATS, retrying for ever on disconnects (the client reconnects by itself). */
export async function connectNats(options: ConnectOptions): Promise<NatsConnection> {
  return connect({
    servers: options.url.split(','),
    name: options.name,
    user: options.user ?? process.env.NATS_USER,
    pass: options.pass ?? process.env.NATS_PASSWORD,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // Without this every request and JetStream publish builds (and discards) two Error objects
    // with stack traces up front, about 20 µs each on the hot paths; failures still name the
    // subject where our code reports them.
    noAsyncTraces: true,
  });
}

/**
 * Drains `nc` (its subscriptions finish what they hold), then closes it. drain() waits for the
 * server; with NATS unreachable it would never return, so it gets `timeoutMs`.
 */
export async function closeNats(nc: NatsConnection, timeoutMs = 5_000): Promise<void> {
  await Promise.race([
    nc.drain().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
  await nc.close().catch(() => undefined);
}

export type { NatsConnection };
