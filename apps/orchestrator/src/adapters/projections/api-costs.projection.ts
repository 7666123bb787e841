import Decimal from 'decimal.js';
import type { ApiUsageRecorded } from '@rcp/contracts';
import type { Projection } from '@rcp/eventing';

interface CostRow {
  stateRolloutId: string | null;
  calls: number;
  cost: Decimal;
}

/** Pure: the per-community totals of a batch of usage events (exact decimals). */
export function sumUsage(usages: ApiUsageRecorded[]): Map<string, CostRow> {
  const rows = new Map<string, CostRow>();
  for (const u of usages) {
    const row = rows.get(u.communityRolloutId) ?? {
      stateRolloutId: u.stateRolloutId ?? null,
      calls: 0,
      cost: new Decimal(0),
    };
    rows.set(u.communityRolloutId, {
      ...row,
      calls: row.calls + u.requestCount,
      cost: row.cost.plus(u.estimatedCost),
    });
  }
  return rows;
}

/** The orchestrator's view of API calls and estimated cost per community (from ApiUsageRecorded). */
export const apiCosts: Projection = {
  name: 'api-costs',
  filterSubject: 'events.discovery.ApiUsageRecorded.*',
  eventTypes: ['ApiUsageRecorded'],
  tables: ['community_costs'],
  async apply(event, tx) {
    await this.applyBatch!([{ event, delivery: { streamSequence: 0, deliveryCount: 1 } }], tx);
  },
  async applyBatch(events, tx) {
    const rows = [...sumUsage(events.map((e) => e.event.data as ApiUsageRecorded)).entries()];
    await tx.query(
      `INSERT INTO community_costs (community_rollout_id, state_rollout_id, api_calls_made, api_cost_estimate)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::numeric[])
       ON CONFLICT (community_rollout_id) DO UPDATE SET api_calls_made = community_costs.api_calls_made + EXCLUDED.api_calls_made,
         api_cost_estimate = community_costs.api_cost_estimate + EXCLUDED.api_cost_estimate,
         state_rollout_id = COALESCE(community_costs.state_rollout_id, EXCLUDED.state_rollout_id)`,
      [
        rows.map(([id]) => id),
        rows.map(([, r]) => r.stateRolloutId),
        rows.map(([, r]) => r.calls),
        rows.map(([, r]) => r.cost.toFixed()),
      ],
    );
  },
};
