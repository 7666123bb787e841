import type { NatsConnection } from '@nats-io/transport-node';
import { findEvent, HEALTH_QUERIES, type ServiceName } from '@rcp/contracts';
import { closeNats, CommandBus, connectNats, ensureStreams } from '@rcp/messaging';
import {
  EventStore,
  openDatabase,
  type Database,
  type OpenDatabaseOptions,
} from '@rcp/persistence';
import { createLogger, type Logger } from '@rcp/telemetry';
import { CommandExecutor } from './command-executor';
import type { EventRegistry } from './event-decoder';
import { OutboxRelay, type Relay } from './outbox-relay';
import type { InlineProjection, Projection } from './projection';
import { ProjectionConsumer } from './projection-consumer';
import { RelayThread } from './relay-thread';
import { rebuildInlineProjection, rebuildProjection, waitUntilCaughtUp } from './rebuild';
import { TimerPoller } from './timers';

export interface ServiceRuntimeOptions {
  service: ServiceName;
  version: string;
  natsUrl: string;
  databaseUrl: string;
  schema?: string;
  migrations?: OpenDatabaseOptions['migrations'];
  projections?: Projection[];
  /** Projections of the service's own events, applied in the command's transaction. */
  inlineProjections?: InlineProjection[];
  registry?: EventRegistry;
  logger?: Logger;
  streamReplicas?: number;
  /**
   * Run the outbox relay in a thread of its own (default: yes when its compiled worker exists,
   * i.e. when the service runs from dist/, unless RELAY_THREAD=off).
   */
  relayThread?: boolean;
}

/**
 * Everything a service stands on, wired once: its schema (migrated), NATS and the streams, the
 * command bus, the command executor, the outbox relay and one consumer per projection.
 */
export class ServiceRuntime {
  readonly store: EventStore;
  readonly bus: CommandBus;
  readonly relay: Relay;
  readonly executor: CommandExecutor;
  readonly consumers: ProjectionConsumer[];
  readonly timers: TimerPoller;

  private constructor(
    readonly options: ServiceRuntimeOptions,
    readonly db: Database,
    readonly nc: NatsConnection,
    readonly logger: Logger,
  ) {
    this.store = new EventStore(options.service);
    this.bus = new CommandBus(nc, options.service, logger);
    this.relay = useRelayThread(options)
      ? new RelayThread(
          {
            service: options.service,
            schema: db.schema,
            natsUrl: options.natsUrl,
            databaseUrl: options.databaseUrl,
          },
          logger,
        )
      : new OutboxRelay(db, nc, logger);
    this.executor = new CommandExecutor(db, this.store, {
      onCommitted: () => this.relay.wake(),
      inline: options.inlineProjections,
    });
    this.timers = new TimerPoller(db, logger);
    this.consumers = [];
    for (const projection of options.projections ?? []) this.addProjection(projection);
    this.bus.register(HEALTH_QUERIES[options.service], async () => ({
      service: options.service,
      status: 'ok' as const,
      version: options.version,
    }));
  }

  static async open(options: ServiceRuntimeOptions): Promise<ServiceRuntime> {
    const logger = options.logger ?? createLogger(options.service);
    const db = await openDatabase({
      url: options.databaseUrl,
      schema: options.schema ?? options.service,
      migrations: options.migrations,
    });
    const nc = await connectNats({ url: options.natsUrl, name: options.service }).catch(
      async (error) => {
        await db.close();
        throw error;
      },
    );
    await ensureStreams(nc, { replicas: options.streamReplicas });
    return new ServiceRuntime(options, db, nc, logger);
  }

  async start(): Promise<void> {
    // Commands are taken only once the relay runs (a thread of its own takes a moment to start).
    const relayRunning = this.relay.start();
    for (const consumer of this.consumers) await consumer.start();
    this.timers.start();
    await relayRunning;
    await this.bus.start();
    this.logger.info('service started', { version: this.options.version, schema: this.db.schema });
  }

  async stop(): Promise<void> {
    await this.bus.stop();
    await this.timers.stop();
    for (const consumer of this.consumers) await consumer.stop();
    await this.relay.stop();
    await closeNats(this.nc);
    await this.db.close();
  }

  /** Adds a projection (e.g. a process manager that needs the runtime) before `start`. */
  addProjection(projection: Projection): ProjectionConsumer {
    const consumer = new ProjectionConsumer(
      this.db,
      this.nc,
      this.options.service,
      projection,
      this.logger,
      this.options.registry ?? findEvent,
      () => this.relay.wake(),
    );
    this.consumers.push(consumer);
    return consumer;
  }

  consumer(name: string): ProjectionConsumer {
    const found = this.consumers.find((c) => c.projection.name === name);
    if (!found) throw new Error(`no projection named ${name}`);
    return found;
  }

  /** Drops and rebuilds every projection: inline ones from `events`, the others from the stream. */
  async rebuild(): Promise<void> {
    for (const projection of this.options.inlineProjections ?? [])
      await rebuildInlineProjection(this.db, this.store, projection);
    for (const consumer of this.consumers) await rebuildProjection(this.db, this.nc, consumer);
  }

  async waitForProjections(timeoutMs?: number): Promise<void> {
    for (const consumer of this.consumers)
      await waitUntilCaughtUp(this.nc, consumer.durable, timeoutMs);
  }
}

function useRelayThread(options: ServiceRuntimeOptions): boolean {
  return options.relayThread ?? (process.env.RELAY_THREAD !== 'off' && RelayThread.available());
}
