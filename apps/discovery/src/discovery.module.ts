import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { ServiceRuntime } from '@rcp/eventing';
import { ChassisModule, PLATFORM_VERSION } from '@rcp/service';
import { createLogger } from '@rcp/telemetry';
import { DISCOVERY_MIGRATIONS, DISCOVERY_PROJECTIONS, DiscoveryApp } from './discovery-app';
import { loadDiscoveryConfig } from './discovery.config';

/** Builds discovery's parts once the runtime exists; runs the worker pool while the service runs. */
@Injectable()
class DiscoveryLifecycle
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private app?: DiscoveryApp;

  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}

  async onModuleInit(): Promise<void> {
    this.app = await DiscoveryApp.create(
      this.runtime,
      loadDiscoveryConfig(),
      createLogger('discovery'),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.app?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.app?.stop();
  }
}

@Module({
  imports: [
    ChassisModule.forRoot({
      service: 'discovery',
      version: PLATFORM_VERSION,
      migrations: DISCOVERY_MIGRATIONS,
      projections: DISCOVERY_PROJECTIONS,
    }),
  ],
  providers: [DiscoveryLifecycle],
})
export class DiscoveryModule {}
