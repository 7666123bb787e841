import { randomUUID } from 'node:crypto';
import type { CostSummaryReply, Reply, StateProgressReply } from '@rcp/contracts';
import type { Log } from '@rcp/infra';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import { currentTraceId, withSpan } from '@rcp/telemetry';
import { progressLine } from './progress-line';

/** The tenant discovery meters Places calls under (DISCOVERY_QUOTA_TENANT). */
const PLATFORM_TENANT = process.env.DISCOVERY_QUOTA_TENANT ?? 'platform';

export interface DemoRolloutOptions {
  stateCode: string;
  batchSize: number;
  timeoutMs: number;
  /** Checked between polls: true stops watching (Ctrl+C). */
  interrupted?: () => boolean;
}

export interface DemoSummary {
  progress: StateProgressReply;
  websites: number;
  costBySku: CostSummaryReply;
  traceId: string | undefined;
}

async function ask<T>(
  nc: NatsConnection,
  subject: string,
  payload: object,
  timeoutMs = 30_000,
): Promise<T> {
  const reply: Reply<T> = await request<T>(nc, subject, payload, timeoutMs);
  if (!reply.ok) throw new Error(`${subject} refused: ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

/** Starts the rollout inside a span, so the whole rollout is one trace whose id we can print. */
async function startRollout(nc: NatsConnection, options: DemoRolloutOptions) {
  return withSpan('demo rollout', {}, async () => {
    const payload = {
      commandId: randomUUID(),
      actor: 'demo',
      stateCode: options.stateCode,
      initiatedBy: 'npm run demo',
      settings: { batchSize: options.batchSize, throttleMs: 100 },
    };
    const started = await ask<{ stateRolloutId: string; totalCommunities: number }>(
      nc,
      'cmd.orchestrator.StartStateRollout',
      payload,
      120_000,
    );
    return { ...started, traceId: currentTraceId() };
  });
}

async function watch(
  nc: NatsConnection,
  stateRolloutId: string,
  options: DemoRolloutOptions,
  log: Log,
): Promise<StateProgressReply> {
  const deadline = Date.now() + options.timeoutMs;
  const tty = process.stdout.isTTY;
  let lastPrinted = 0;
  for (;;) {
    const p = await ask<StateProgressReply>(nc, 'qry.orchestrator.GetStateProgress', {
      stateRolloutId,
    });
    const done = ['completed', 'cancelled', 'paused'].includes(p.status);
    if (tty) process.stdout.write(`\r\x1b[2K${progressLine(p)}${done ? '\n' : ''}`);
    else if (done || Date.now() - lastPrinted > 5_000) {
      log(progressLine(p));
      lastPrinted = Date.now();
    }
    if (done) return p;
    if (options.interrupted?.())
      throw new Error(
        'interrupted while the rollout was running (it goes on when the system is started again)',
      );
    if (Date.now() > deadline)
      throw new Error(
        `rollout of ${options.stateCode} not finished after ${options.timeoutMs / 1000} s`,
      );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function websitesOf(nc: NatsConnection, stateRolloutId: string): Promise<number> {
  const page = await ask<{ items: Array<{ counters: { businessesWithWebsites: number } }> }>(
    nc,
    'qry.orchestrator.ListCommunityRollouts',
    { stateRolloutId, limit: 1000 },
  );
  return page.items.reduce((sum, c) => sum + c.counters.businessesWithWebsites, 0);
}

/** Rolls a state out through all six phases and gathers what the summary shows. */
export async function runDemoRollout(
  natsUrl: string,
  options: DemoRolloutOptions,
  log: Log,
): Promise<DemoSummary> {
  const nc = await connectNats({ url: natsUrl, name: 'demo' });
  try {
    // The platform's Places quota: the free tier's monthly caps are too small for a whole state.
    await ask(nc, 'cmd.quota.SetTier', {
      commandId: randomUUID(),
      actor: 'demo',
      tenantId: PLATFORM_TENANT,
      tier: 'enterprise',
    });
    const started = await startRollout(nc, options);
    log(
      `[demo] rolling out ${options.stateCode}: ${started.totalCommunities} communities, ${options.batchSize} at a time (rollout ${started.stateRolloutId})`,
    );
    const progress = await watch(nc, started.stateRolloutId, options, log);
    const websites = await websitesOf(nc, started.stateRolloutId);
    const costBySku = await ask<CostSummaryReply>(nc, 'qry.ledger.GetCostSummary', {
      stateRolloutId: started.stateRolloutId,
      groupBy: 'sku',
    });
    return { progress, websites, costBySku, traceId: started.traceId };
  } finally {
    await nc.close();
  }
}

/** The closing summary of `npm run demo`. */
export function summaryLines(s: DemoSummary): string[] {
  const p = s.progress;
  return [
    `Rollout of ${p.stateName} (${p.stateCode}): ${p.status}`,
    `  communities   ${p.completedCommunities} completed, ${p.failedCommunities} failed of ${p.totalCommunities}`,
    `  businesses    ${p.totalBusinessesDiscovered} discovered, ${s.websites} with websites`,
    `  news sources  ${p.totalNewsSourcesCreated}`,
    `  API calls     ${s.costBySku.totalRequests}, cost $${s.costBySku.totalCost}`,
    ...s.costBySku.groups.map(
      (g) => `    ${g.key.padEnd(12)} ${String(g.requests).padStart(7)} calls  $${g.cost}`,
    ),
    `  trace id      ${s.traceId ?? '(tracing off)'}${s.traceId ? '  (open it in Jaeger with OTEL_EXPORTER_OTLP_ENDPOINT set)' : ''}`,
  ];
}
