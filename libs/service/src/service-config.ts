import type { ServiceName } from '@rcp/contracts';

/** A service's settings, from the environment with safe local defaults. */
export interface ServiceConfig {
  service: ServiceName;
  natsUrl: string;
  databaseUrl: string;
  schema: string;
  streamReplicas: number;
}

export function loadServiceConfig(
  service: ServiceName,
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  return {
    service,
    natsUrl: env.NATS_URL || 'nats://127.0.0.1:4222',
    databaseUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/rollout',
    schema: env.DB_SCHEMA || service.replace(/-/g, '_'),
    streamReplicas: Number(env.STREAM_REPLICAS || 1),
  };
}

/** Version reported by every service's Health query. */
export const PLATFORM_VERSION = '0.1.0';
