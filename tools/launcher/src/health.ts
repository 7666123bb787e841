import { connect } from '@nats-io/transport-node';
import { waitFor } from '@rcp/infra';

export interface HealthReport {
  token: string;
  healthy: boolean;
  version?: string;
  error?: string;
}

interface HealthReply {
  ok?: unknown;
  data?: { service?: unknown; status?: unknown; version?: unknown };
  error?: { code?: unknown; message?: unknown };
}

type NatsConnection = Awaited<ReturnType<typeof connect>>;

const REQUEST_TIMEOUT_MS = 1_000;

function versionFrom(token: string, raw: string): string {
  const reply = JSON.parse(raw) as HealthReply;
  if (reply.ok !== true)
    throw new Error(`replied with an error: ${JSON.stringify(reply.error ?? reply)}`);
  const { service, status, version } = reply.data ?? {};
  if (service !== token || status !== 'ok' || typeof version !== 'string') {
    throw new Error(`unexpected health reply: ${raw}`);
  }
  return version;
}

async function askHealth(nc: NatsConnection, token: string): Promise<string> {
  const reply = await nc.request(`qry.${token}.Health`, '{}', { timeout: REQUEST_TIMEOUT_MS });
  return versionFrom(token, reply.string());
}

async function checkOne(
  nc: NatsConnection,
  token: string,
  timeoutMs: number,
): Promise<HealthReport> {
  try {
    const version = await waitFor(() => askHealth(nc, token), {
      timeoutMs,
      intervalMs: 250,
      description: `${token} health`,
    });
    return { token, healthy: true, version };
  } catch (error) {
    return { token, healthy: false, error: (error as Error).message };
  }
}

/**
 * Asks `qry.<token>.Health` of every service until each answers
 * `{ ok: true, data: { service: <token>, status: "ok", version } }` or `timeoutMs` has passed.
 */
export async function waitHealthy(
  natsUrl: string,
  services: readonly { token: string }[],
  timeoutMs: number,
): Promise<HealthReport[]> {
  const nc = await connect({ servers: natsUrl, name: 'rcp-launcher' });
  try {
    return await Promise.all(services.map(({ token }) => checkOne(nc, token, timeoutMs)));
  } finally {
    await nc.close();
  }
}

export function assertAllHealthy(reports: readonly HealthReport[], timeoutMs: number): void {
  const unhealthy = reports.filter((report) => !report.healthy);
  if (unhealthy.length === 0) return;
  const lines = unhealthy.map((report) => `  ${report.token}: ${report.error}`);
  throw new Error(`Not healthy within ${timeoutMs / 1000} s:\n${lines.join('\n')}`);
}
