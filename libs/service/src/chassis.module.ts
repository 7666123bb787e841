import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ServiceName } from '@rcp/contracts';
import {
  ServiceRuntime,
  type EventRegistry,
  type InlineProjection,
  type Projection,
} from '@rcp/eventing';
import type { OpenDatabaseOptions } from '@rcp/persistence';
import { createLogger } from '@rcp/telemetry';
import type { Server } from 'node:http';
import { startMetricsServer } from './operations/metrics-server';
import { OperationsHandlers, VerifyChecks } from './operations/operations';
import { loadServiceConfig } from './service-config';

export interface ChassisModuleOptions {
  service: ServiceName;
  version: string;
  migrations?: OpenDatabaseOptions['migrations'];
  projections?: Projection[];
  inlineProjections?: InlineProjection[];
  registry?: EventRegistry;
}

const OPTIONS = Symbol('ChassisModuleOptions');

/** Starts the runtime once every module has registered its handlers, and stops it on shutdown. */
@Injectable()
class ChassisLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private metricsServer?: Server;

  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
    this.metricsServer = await startMetricsServer(this.runtime);
  }

  async onApplicationShutdown(): Promise<void> {
    this.metricsServer?.closeAllConnections();
    this.metricsServer?.close();
    await this.runtime.stop();
  }
}

/**
 * The chassis as a Nest module: provides the service's {@link ServiceRuntime} (schema migrated,
 * NATS connected, streams ensured) to every handler, globally; serves `RebuildProjections` and
 * `Verify` (with the service's {@link VerifyChecks}) and the metrics/health HTTP endpoint.
 */
@Module({})
export class ChassisModule {
  static forRoot(options: ChassisModuleOptions): DynamicModule {
    return {
      module: ChassisModule,
      global: true,
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: ServiceRuntime,
          inject: [OPTIONS],
          useFactory: (opts: ChassisModuleOptions) => {
            const config = loadServiceConfig(opts.service);
            return ServiceRuntime.open({ ...opts, ...config, logger: createLogger(opts.service) });
          },
        },
        VerifyChecks,
        OperationsHandlers,
        ChassisLifecycle,
      ],
      exports: [ServiceRuntime, VerifyChecks],
    };
  }
}
