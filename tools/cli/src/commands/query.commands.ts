import type {
  CostSummaryReply,
  ListCommunityRolloutsReply,
  RebuildProjectionsReply,
  VerifyReply,
} from '@rcp/contracts';
import { SERVICES, isServiceName } from '@rcp/contracts';
import { str, type CommandSpec } from '../command-spec';
import { EXIT, UsageError } from '../cli-errors';
import { table, usd } from '../render';

export const communitiesCommand: CommandSpec = {
  name: 'communities',
  args: '<STATE>',
  required: 1,
  summary:
    'The community rollouts of a state’s latest rollout (qry.orchestrator.ListCommunityRollouts).',
  options: {
    status: { type: 'string', value: '<status>', description: 'only this status, e.g. failed' },
    limit: { type: 'string', value: '<n>', description: 'page size (default 1000)' },
  },
  async run(ctx, [state], values) {
    const status = str(values.status);
    const page = await ctx.query<ListCommunityRolloutsReply>(
      'qry.orchestrator.ListCommunityRollouts',
      {
        stateCode: state,
        limit: Number(str(values.limit) ?? 1000),
        ...(status ? { status } : {}),
      },
    );
    ctx.print(
      page,
      () =>
        table(
          [
            'community',
            'status',
            'phase',
            'businesses',
            'websites',
            'sources',
            'cost',
            'retries',
            'last error',
          ],
          page.items.map((c) => [
            c.communityName,
            c.status,
            c.currentPhase,
            c.counters.businessesDiscovered,
            c.counters.businessesWithWebsites,
            c.counters.newsSourcesCreated,
            usd(c.apiCostEstimate),
            c.retryCount,
            c.errorLog.at(-1)?.error,
          ]),
        ) + `\n${page.items.length} of ${page.total}`,
    );
  },
};

const GROUPS = ['api', 'sku', 'day', 'community'];

export const costCommand: CommandSpec = {
  name: 'cost',
  args: '<STATE>',
  required: 1,
  summary: 'Priced API usage of a state’s latest rollout (qry.ledger.GetCostSummary).',
  options: {
    by: {
      type: 'string',
      value: '<group>',
      description: 'api | sku | day | community (default api)',
    },
    csv: { type: 'boolean', description: 'CSV: key,requests,cost' },
    from: { type: 'string', value: '<iso>', description: 'from this time (inclusive)' },
    to: { type: 'string', value: '<iso>', description: 'to this time (exclusive)' },
  },
  examples: ['rollout cost RI --by sku', 'rollout cost RI --by day --csv > ri.csv'],
  async run(ctx, [state], values) {
    const groupBy = str(values.by) ?? 'api';
    if (!GROUPS.includes(groupBy)) throw new UsageError(`--by must be one of ${GROUPS.join(', ')}`);
    const from = str(values.from);
    const to = str(values.to);
    const reply = await ctx.query<CostSummaryReply>('qry.ledger.GetCostSummary', {
      stateCode: state,
      groupBy,
      ...(values.csv ? { format: 'csv' } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
    if (values.csv && !ctx.json) {
      ctx.out((reply.csv ?? '').trimEnd());
      return;
    }
    ctx.print(reply, () =>
      [
        table(
          [groupBy, 'requests', 'cost'],
          reply.groups.map((g) => [g.key, g.requests, usd(g.cost)]),
        ),
        `total: ${reply.totalRequests} requests, ${usd(reply.totalCost)}`,
      ].join('\n'),
    );
  },
};

function servicesOf(arg: string | undefined): readonly string[] {
  if (!arg) return SERVICES;
  if (!isServiceName(arg))
    throw new UsageError(`unknown service "${arg}"; one of ${SERVICES.join(', ')}`);
  return [arg];
}

export const rebuildCommand: CommandSpec = {
  name: 'rebuild',
  args: '<service>',
  required: 1,
  summary:
    'Drop and replay a service’s projections from the events (cmd.<service>.RebuildProjections).',
  options: { projection: { type: 'string', value: '<name>', description: 'only this projection' } },
  async run(ctx, [service], values) {
    servicesOf(service);
    const projection = str(values.projection);
    const reply = await ctx.command<RebuildProjectionsReply>(
      `cmd.${service}.RebuildProjections`,
      projection ? { projection } : {},
      Math.max(ctx.options.timeoutMs, 300_000),
    );
    ctx.print(
      reply,
      () => `${service}: rebuilt ${reply.rebuilt.join(', ')} in ${reply.durationMs} ms`,
    );
  },
};

export const verifyCommand: CommandSpec = {
  name: 'verify',
  args: '[service]',
  summary:
    'Check each service’s schema, consumers and invariants (qry.<service>.Verify); exit 1 on a failed check.',
  async run(ctx, [service]) {
    const reports: VerifyReply[] = [];
    for (const s of servicesOf(service))
      reports.push(await ctx.query<VerifyReply>(`qry.${s}.Verify`, {}, 60_000));
    const ok = reports.every((r) => r.ok);
    ctx.print({ ok, reports }, () =>
      reports
        .map((r) =>
          [
            `${r.service}: ${r.ok ? 'ok' : 'FAILED'}`,
            ...r.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`),
          ].join('\n'),
        )
        .join('\n'),
    );
    return ok ? EXIT.ok : EXIT.refused;
  },
};
