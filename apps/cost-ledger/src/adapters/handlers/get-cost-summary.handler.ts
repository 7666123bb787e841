import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  GetCostSummaryQuery,
  type CostGroupBy,
  type CostSummaryReply,
  type GetCostSummary,
} from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import type { Queryable } from '@rcp/persistence';
import { formatMicros, normalizeMoney, sumMicros, toMicros } from '../../domain/money/money';

const ROLLUP_KEY: Record<CostGroupBy, string> = {
  api: 'api_name',
  sku: 'sku_tier',
  day: "to_char(day, 'YYYY-MM-DD')",
  community: 'community_rollout_id::text',
};
const ROW_KEY: Record<CostGroupBy, string> = {
  ...ROLLUP_KEY,
  day: `to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
};

const isMidnight = (at?: string) => !at || new Date(at).toISOString().endsWith('T00:00:00.000Z');

/** The narrowest scope given; a state alone means its latest known rollout, else all its usage. */
async function scopeOf(db: Queryable, q: GetCostSummary): Promise<[string, unknown]> {
  if (q.communityRolloutId) return ['community_rollout_id = $1', q.communityRolloutId];
  if (q.stateRolloutId) return ['state_rollout_id = $1', q.stateRolloutId];
  const [latest] = await db.query<{ id: string }>(
    'SELECT id FROM state_rollouts WHERE state_code = $1 ORDER BY started_at DESC NULLS LAST LIMIT 1',
    [q.stateCode],
  );
  return latest ? ['state_rollout_id = $1', latest.id] : ['state_code = $1', q.stateCode];
}

/**
 * Sums the day roll-ups when the range is whole UTC days (or open), the usage rows otherwise.
 * Money is summed by PostgreSQL numeric and comes back as text.
 */
export async function costSummary(db: Queryable, q: GetCostSummary): Promise<CostSummaryReply> {
  const groupBy = q.groupBy ?? 'api';
  const [scope, value] = await scopeOf(db, q);
  const daily = isMidnight(q.from) && isMidnight(q.to);
  const [table, key, time] = daily
    ? ['usage_daily_rollups', ROLLUP_KEY[groupBy], 'day']
    : ['rollout_api_usage', ROW_KEY[groupBy], 'recorded_at'];
  const at = (n: number) =>
    daily ? `(($${n}::timestamptz) AT TIME ZONE 'UTC')::date` : `$${n}::timestamptz`;
  const rows = await db.query<{ key: string; requests: string; cost: string }>(
    `SELECT ${key} AS key, sum(${daily ? 'requests' : 'request_count'})::text AS requests, sum(priced_cost)::text AS cost
       FROM ${table}
      WHERE ${scope} AND ($2::text IS NULL OR ${time} >= ${at(2)}) AND ($3::text IS NULL OR ${time} < ${at(3)})
      GROUP BY 1 ORDER BY 1`,
    [value, q.from ?? null, q.to ?? null],
  );
  const groups = rows.map((r) => ({
    key: r.key,
    requests: Number(r.requests),
    cost: normalizeMoney(r.cost),
  }));
  const reply: CostSummaryReply = {
    totalRequests: groups.reduce((n, g) => n + g.requests, 0),
    totalCost: formatMicros(sumMicros(groups.map((g) => toMicros(g.cost)))),
    groupBy,
    groups,
  };
  if (q.format === 'csv') reply.csv = toCsv(reply);
  return reply;
}

const csvField = (value: string) =>
  /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

export function toCsv(summary: CostSummaryReply): string {
  const lines = summary.groups.map((g) => [csvField(g.key), g.requests, g.cost].join(','));
  return ['key,requests,cost', ...lines].join('\n') + '\n';
}

@Injectable()
export class GetCostSummaryHandler implements OnModuleInit {
  constructor(private readonly runtime: ServiceRuntime) {}

  onModuleInit(): void {
    this.runtime.bus.register(GetCostSummaryQuery, (query) => costSummary(this.runtime.db, query));
  }
}
