import { NestFactory } from '@nestjs/core';
import type { ServiceName } from '@rcp/contracts';
import { createLogger, stopTelemetry } from '@rcp/telemetry';
import { JsonNestLogger } from './json-nest-logger';

/**
 * Boots a service as a Nest application context (no HTTP server needed for NATS work), with
 * JSON logs, and shuts it down cleanly on SIGTERM/SIGINT.
 */
export async function bootstrapService(service: ServiceName, rootModule: unknown): Promise<void> {
  const logger = createLogger(service);
  process.on('unhandledRejection', (reason) =>
    logger.error('unhandled rejection', { error: reason }),
  );
  try {
    const app = await NestFactory.createApplicationContext(rootModule as never, {
      logger: new JsonNestLogger(logger),
    });
    const shutdown = async (signal: string) => {
      logger.info('shutting down', { signal });
      await app.close();
      await stopTelemetry();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  } catch (error) {
    logger.error('service failed to start', { error });
    await stopTelemetry();
    process.exit(1);
  }
}
