import Decimal from 'decimal.js';
import { Client } from 'pg';
import type { NatsConnection } from '@rcp/messaging';
import { scanEvents } from './stream-scan';

/** One community's end state, keyed by its name (ids differ between runs). */
export interface CommunityOutcome {
  name: string;
  status: string;
  phases: string[];
  businessesDiscovered: number;
  apiCallsMade: number;
  apiCost: string;
  /** Distinct businesses discovery holds for this community rollout. */
  discoveryBusinesses: number;
  /** Ledger rows and cost of this community rollout. */
  ledgerRows: number;
  ledgerCost: string;
  streamUsages: number;
  /** `phase:code` of every entry of the error log (why a community retried or failed). */
  errors: string[];
}

/** Everything the end checks compare, read straight from each service's schema and the stream. */
export interface RunSnapshot {
  stateStatus: string;
  totalCommunities: number;
  completed: number;
  failed: number;
  totalBusinessesDiscovered: number;
  orchestratorApiCost: string;
  orchestratorApiCalls: number;
  discoveryBusinesses: number;
  ledgerRows: number;
  ledgerRequests: number;
  ledgerCost: string;
  usageEvents: number;
  distinctUsageEventIds: number;
  distinctUsageIds: number;
  streamCost: string;
  usageIdsMissingFromLedger: number;
  /** The first of them, for a post-mortem (where they sit in the stream). */
  missingFromLedger: Array<{
    usageId: string;
    eventId: string;
    communityRolloutId: string;
    streamSequence: number;
    occurredAt: string;
  }>;
  ledgerRowsNotInStream: number;
  communities: CommunityOutcome[];
}

const PHASE_STATUS_COLUMNS = [1, 2, 3, 4, 5, 6].map((n) => `phase_${n}_status`).join(', ');

async function orchestratorRows(pg: Client, id: string) {
  const {
    rows: [state],
  } = await pg.query(
    'SELECT status, total_communities, completed_communities, failed_communities, total_businesses_discovered FROM orchestrator.state_rollouts WHERE id = $1',
    [id],
  );
  const { rows: communities } = await pg.query(
    `SELECT c.id, c.community_name, c.status, ${PHASE_STATUS_COLUMNS}, c.businesses_discovered, c.error_log,
            COALESCE(k.api_calls_made, 0)::int AS api_calls, COALESCE(k.api_cost_estimate, 0)::text AS api_cost
       FROM orchestrator.community_rollouts c LEFT JOIN orchestrator.community_costs k ON k.community_rollout_id = c.id
      WHERE c.state_rollout_id = $1`,
    [id],
  );
  return { state, communities };
}

async function countBy(
  pg: Client,
  sql: string,
  id: string,
): Promise<Map<string, { n: number; cost?: string }>> {
  const { rows } = await pg.query(sql, [id]);
  return new Map(
    rows.map((r) => [r.id as string, { n: Number(r.n), cost: r.cost as string | undefined }]),
  );
}

async function ledgerIds(pg: Client, id: string): Promise<Set<string>> {
  const { rows } = await pg.query(
    'SELECT id FROM ledger.rollout_api_usage WHERE state_rollout_id = $1',
    [id],
  );
  return new Set(rows.map((r) => r.id as string));
}

/** Reads the end state of one state rollout. `databaseUrl` must be able to read every schema (the driver's). */
export async function takeSnapshot(
  nc: NatsConnection,
  databaseUrl: string,
  stateRolloutId: string,
  stateCode: string,
): Promise<RunSnapshot> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const { state, communities } = await orchestratorRows(pg, stateRolloutId);
    const discovery = await countBy(
      pg,
      'SELECT community_rollout_id::text AS id, count(DISTINCT place_id) AS n FROM discovery.community_businesses WHERE community_rollout_id IN (SELECT id FROM orchestrator.community_rollouts WHERE state_rollout_id = $1) GROUP BY 1',
      stateRolloutId,
    );
    const ledger = await countBy(
      pg,
      'SELECT community_rollout_id::text AS id, count(*) AS n, sum(estimated_cost)::text AS cost FROM ledger.rollout_api_usage WHERE state_rollout_id = $1 GROUP BY 1',
      stateRolloutId,
    );
    const {
      rows: [totals],
    } = await pg.query(
      'SELECT count(*)::int AS n, COALESCE(sum(request_count), 0)::int AS requests, COALESCE(sum(estimated_cost), 0)::text AS cost FROM ledger.rollout_api_usage WHERE state_rollout_id = $1',
      [stateRolloutId],
    );
    const inLedger = await ledgerIds(pg, stateRolloutId);
    const events = (await scanEvents(nc, `events.discovery.ApiUsageRecorded.${stateCode}`)).filter(
      (e) => e.data.stateRolloutId === stateRolloutId,
    );
    const usageIds = new Set(events.map((e) => e.data.usageId as string));
    const perCommunity = new Map<string, number>();
    for (const e of events)
      perCommunity.set(
        e.data.communityRolloutId as string,
        (perCommunity.get(e.data.communityRolloutId as string) ?? 0) + 1,
      );
    const outcomes: CommunityOutcome[] = communities.map((c) => ({
      name: c.community_name,
      status: c.status,
      phases: [1, 2, 3, 4, 5, 6].map((n) => c[`phase_${n}_status`]),
      businessesDiscovered: c.businesses_discovered,
      apiCallsMade: c.api_calls,
      apiCost: new Decimal(c.api_cost).toFixed(4),
      discoveryBusinesses: discovery.get(c.id)?.n ?? 0,
      ledgerRows: ledger.get(c.id)?.n ?? 0,
      ledgerCost: new Decimal(ledger.get(c.id)?.cost ?? 0).toFixed(4),
      streamUsages: perCommunity.get(c.id) ?? 0,
      errors: (c.error_log as Array<{ phase: number; code?: string }>).map(
        (e) => `${e.phase}:${e.code}`,
      ),
    }));
    outcomes.sort((a, b) => a.name.localeCompare(b.name));
    return {
      stateStatus: state?.status ?? 'missing',
      totalCommunities: state?.total_communities ?? 0,
      completed: state?.completed_communities ?? 0,
      failed: state?.failed_communities ?? 0,
      totalBusinessesDiscovered: state?.total_businesses_discovered ?? 0,
      orchestratorApiCost: outcomes.reduce((a, c) => a.plus(c.apiCost), new Decimal(0)).toFixed(4),
      orchestratorApiCalls: outcomes.reduce((a, c) => a + c.apiCallsMade, 0),
      discoveryBusinesses: outcomes.reduce((a, c) => a + c.discoveryBusinesses, 0),
      ledgerRows: totals.n,
      ledgerRequests: totals.requests,
      ledgerCost: new Decimal(totals.cost).toFixed(4),
      usageEvents: events.length,
      distinctUsageEventIds: new Set(events.map((e) => e.id)).size,
      distinctUsageIds: usageIds.size,
      streamCost: events
        .reduce((a, e) => a.plus(e.data.estimatedCost as string), new Decimal(0))
        .toFixed(4),
      usageIdsMissingFromLedger: [...usageIds].filter((id) => !inLedger.has(id)).length,
      missingFromLedger: events
        .filter((e) => !inLedger.has(e.data.usageId as string))
        .slice(0, 30)
        .map((e) => ({
          usageId: e.data.usageId as string,
          eventId: e.id,
          communityRolloutId: e.data.communityRolloutId as string,
          streamSequence: e.streamSequence,
          occurredAt: e.occurredAt,
        })),
      ledgerRowsNotInStream: [...inLedger].filter((id) => !usageIds.has(id)).length,
      communities: outcomes,
    };
  } finally {
    await pg.end();
  }
}
