import type { MessagePort } from 'node:worker_threads';
import { Pool } from 'pg';
import { closeNats, connectNats } from '@rcp/messaging';
import { createLogger, stopTelemetry } from '@rcp/telemetry';
import { OutboxRelay } from './outbox-relay';
import type { RelayThreadData } from './relay-thread';

/**
 * Runs the outbox relay inside its thread until the service posts `stop`: its own pool (search
 * path = the service's schema) and NATS connection, `wake` messages passed on to the relay.
 */
export async function runRelayThread(data: RelayThreadData, port: MessagePort): Promise<void> {
  const logger = createLogger(data.service, { fields: { thread: 'relay' } });
  const pool = new Pool({
    connectionString: data.databaseUrl,
    options: `-c search_path=${data.schema}`,
    max: 2,
  });
  // An idle client whose server went away: the next checkout gets a new one.
  pool.on('error', (error) => logger.warn('relay pool client failed', { error }));
  const nc = await connectNats({ url: data.natsUrl, name: `${data.service}-relay` });
  const relay = new OutboxRelay({ schema: data.schema, pool }, nc, logger, data.options);
  relay.start();
  port.postMessage('running');
  port.on('message', (message) => {
    if (message === 'wake') relay.wake();
    else if (message === 'stop') void stop();
  });

  async function stop(): Promise<void> {
    await relay.stop();
    await closeNats(nc);
    await pool.end().catch(() => undefined);
    await stopTelemetry();
    process.exit(0);
  }
}
