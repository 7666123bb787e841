import type { Queryable } from '@rcp/persistence';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** A roll-up table against the same sums recomputed from `rollout_api_usage`. */
interface RollupSpec {
  table: string;
  keys: Array<[rollupColumn: string, rowExpression: string]>;
  sums: Array<[rollupColumn: string, rowExpression: string]>;
  rowFilter?: string;
}

const SPECS: RollupSpec[] = [
  {
    table: 'usage_daily_rollups',
    keys: [
      ['day', `(recorded_at AT TIME ZONE 'UTC')::date`],
      ['state_code', 'state_code'],
      ['state_rollout_id', `COALESCE(state_rollout_id, '00000000-0000-0000-0000-000000000000')`],
      ['community_rollout_id', 'community_rollout_id'],
      ['api_name', 'api_name'],
      ['endpoint', 'endpoint'],
      ['sku_tier', 'sku_tier'],
    ],
    sums: [
      ['usages', 'count(*)'],
      ['requests', 'sum(request_count)'],
      ['free_units', 'sum(free_units)'],
      ['estimated_cost', 'sum(estimated_cost)'],
      ['priced_cost', 'sum(priced_cost)'],
    ],
  },
  {
    table: 'community_rollout_costs',
    keys: [['community_rollout_id', 'community_rollout_id']],
    sums: [
      ['usages', 'count(*)'],
      ['api_calls_made', 'sum(request_count)'],
      ['free_units', 'sum(free_units)'],
      ['api_cost_estimate', 'sum(estimated_cost)'],
      ['priced_cost', 'sum(priced_cost)'],
    ],
  },
  {
    table: 'state_rollout_costs',
    keys: [['state_rollout_id', 'state_rollout_id']],
    sums: [
      ['usages', 'count(*)'],
      ['api_calls_made', 'sum(request_count)'],
      ['free_units', 'sum(free_units)'],
      ['estimated_cost', 'sum(estimated_cost)'],
      ['total_api_cost', 'sum(priced_cost)'],
    ],
    rowFilter: 'state_rollout_id IS NOT NULL',
  },
];

async function checkRollup(db: Queryable, spec: RollupSpec): Promise<Check> {
  const keyCols = spec.keys.map(([c]) => c);
  const rowSelect = [
    ...spec.keys.map(([c, e]) => `${e} AS ${c}`),
    ...spec.sums.map(([c, e]) => `${e} AS ${c}`),
  ];
  const [row] = await db.query<{ groups: string; mismatched: string; sample: string | null }>(
    `WITH r AS (SELECT ${rowSelect.join(', ')} FROM rollout_api_usage ${spec.rowFilter ? `WHERE ${spec.rowFilter}` : ''}
                GROUP BY ${spec.keys.map((_, i) => i + 1).join(', ')}),
          diff AS (SELECT ${keyCols.map((c) => `COALESCE(r.${c}, t.${c}) AS ${c}`).join(', ')}
                     FROM r FULL JOIN ${spec.table} t USING (${keyCols.join(', ')})
                    WHERE ${spec.sums.map(([c]) => `r.${c} IS DISTINCT FROM t.${c}`).join(' OR ')})
     SELECT (SELECT count(*) FROM ${spec.table}) AS groups, count(*) AS mismatched,
            min(diff::text) AS sample FROM diff`,
  );
  const mismatched = Number(row.mismatched);
  return {
    name: `${spec.table} = sums of rollout_api_usage`,
    ok: mismatched === 0,
    detail:
      mismatched === 0
        ? `${row.groups} groups match`
        : `${mismatched} groups differ, e.g. ${row.sample}`,
  };
}

export async function rollupChecks(db: Queryable): Promise<Check[]> {
  const checks: Check[] = [];
  for (const spec of SPECS) checks.push(await checkRollup(db, spec));
  const [priced] = await db.query<{ bad: string }>(
    'SELECT count(*) AS bad FROM rollout_api_usage WHERE priced_cost <> unit_cost * (request_count - free_units)',
  );
  checks.push({
    name: 'priced_cost = unit_cost × (request_count − free_units)',
    ok: Number(priced.bad) === 0,
    detail: Number(priced.bad) === 0 ? 'every row' : `${priced.bad} rows differ`,
  });
  return checks;
}
