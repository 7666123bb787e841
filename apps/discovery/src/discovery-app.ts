import { ListBusinessesQuery } from '@rcp/contracts';
import { ServiceRuntime, type Projection } from '@rcp/eventing';
import { createLogger, type Logger } from '@rcp/telemetry';
import { listBusinesses } from './adapters/handlers/list-businesses.handler';
import { DiscoveryFlags } from './adapters/flags/discovery-flags';
import { PhaseJobStore } from './adapters/jobs/phase-job.store';
import { phaseRequestsProjection } from './adapters/jobs/phase-requests.projection';
import { PhaseWorker } from './adapters/jobs/phase-worker';
import { DiscoveryTables1763800000000 } from './adapters/migrations/discovery-tables.migration';
import { PhaseJobTrace1763900000000 } from './adapters/migrations/phase-job-trace.migration';
import type { PhaseDeps } from './adapters/phases/phase-work';
import { GooglePlacesClient } from './adapters/places/google-places.client';
import type { PlacesProvider } from './adapters/places/places-provider';
import { SimulatedPlacesProvider } from './adapters/places/simulated-places.provider';
import { PlacesQuota } from './adapters/quota/places-quota';
import { NatsQuotaClient } from './adapters/quota/quota.client';
import { businessDirectoryProjection } from './adapters/projections/business-directory.projection';
import { SimulatedWebServer } from './adapters/web/simulated-web.server';
import {
  evolveBusinesses,
  initialBusinessState,
  businessesOf,
  type BusinessEvent,
} from './domain/business/business';
import { loadDiscoveryConfig, type DiscoveryConfig } from './discovery.config';

const FLAGS_FIRST_LOAD_WAIT_MS = 3_000;

export const DISCOVERY_MIGRATIONS = [DiscoveryTables1763800000000, PhaseJobTrace1763900000000];
export const DISCOVERY_PROJECTIONS: Projection[] = [
  phaseRequestsProjection,
  businessDirectoryProjection,
];

/** Discovery's own parts on top of the chassis: the Places provider, the simulated web, the worker pool. */
export class DiscoveryApp {
  private constructor(
    readonly worker: PhaseWorker,
    readonly provider: PlacesProvider,
    readonly web: SimulatedWebServer | null,
    readonly flags: DiscoveryFlags,
  ) {}

  static async create(
    runtime: ServiceRuntime,
    config: DiscoveryConfig,
    logger: Logger,
    provider?: PlacesProvider,
  ): Promise<DiscoveryApp> {
    let web: SimulatedWebServer | null = null;
    if (!provider && config.provider === 'simulated') {
      web = new SimulatedWebServer({
        port: config.simulated.webPort,
        slowMs: config.simulated.slowMs,
      });
      await web.start();
      logger.info('simulated web started', { url: web.url });
    }
    const places = provider ?? createProvider(config, web);
    const deps: PhaseDeps = {
      provider: places,
      config,
      clock: () => new Date(),
      loadBusinesses: async (id) => {
        const stored = await runtime.store.readStream(runtime.db, {
          aggregateType: 'Business',
          aggregateId: id,
        });
        const events = stored.map(
          (s) => ({ type: s.envelope.type, data: s.envelope.data }) as BusinessEvent,
        );
        return businessesOf(events.reduce(evolveBusinesses, initialBusinessState));
      },
    };
    const quota = config.quota;
    const quotas = new PlacesQuota(
      new NatsQuotaClient(runtime.nc, quota.tenantId, quota.requestTimeoutMs),
      quota,
      logger,
    );
    const flags = new DiscoveryFlags(runtime.nc, logger, {
      enabled: config.flags === 'on',
      retryMs: 2_000,
    });
    const worker = new PhaseWorker(runtime, new PhaseJobStore(runtime.db), deps, config, logger, {
      quotas,
      flags,
    });
    runtime.bus.register(ListBusinessesQuery, (q) => listBusinesses(runtime.db, q));
    logger.info('places quota and flags', {
      quota: quota.mode,
      tenant: quota.tenantId,
      flags: config.flags,
    });
    return new DiscoveryApp(worker, places, web, flags);
  }

  /** Gives the flags a moment to load first, so the first phases are routed by them. */
  async start(): Promise<void> {
    await this.flags.start(FLAGS_FIRST_LOAD_WAIT_MS);
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    await this.flags.stop();
    await this.web?.stop();
  }
}

function createProvider(config: DiscoveryConfig, web: SimulatedWebServer | null): PlacesProvider {
  if (config.provider === 'google') {
    if (!config.google.apiKey)
      throw new Error('PLACES_PROVIDER=google needs GOOGLE_PLACES_API_KEY');
    return new GooglePlacesClient(config.google);
  }
  return new SimulatedPlacesProvider({
    webBaseUrl: web!.url,
    latencyMs: config.simulated.latencyMs,
    errorRate: config.simulated.errorRate,
    nearbyErrorRate: config.simulated.nearbyErrorRate,
  });
}

export interface OpenDiscoveryOptions {
  natsUrl: string;
  databaseUrl: string;
  schema?: string;
  config?: Partial<DiscoveryConfig>;
  provider?: PlacesProvider;
  logger?: Logger;
}

/** The whole service in-process (tests, benchmarks): runtime started, worker running. */
export async function openDiscovery(
  options: OpenDiscoveryOptions,
): Promise<{ runtime: ServiceRuntime; app: DiscoveryApp; stop(): Promise<void> }> {
  const logger = options.logger ?? createLogger('discovery', { level: 'error' });
  const runtime = await ServiceRuntime.open({
    service: 'discovery',
    version: 'test',
    natsUrl: options.natsUrl,
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    migrations: DISCOVERY_MIGRATIONS,
    projections: DISCOVERY_PROJECTIONS,
    logger,
  });
  const config = { ...loadDiscoveryConfig({}), ...options.config };
  const app = await DiscoveryApp.create(runtime, config, logger, options.provider);
  await runtime.start();
  await app.start();
  return {
    runtime,
    app,
    async stop() {
      await app.stop();
      await runtime.stop();
    },
  };
}
