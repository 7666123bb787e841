import type { ListJobsReply, QuotaReply } from '@rcp/contracts';
import { str, type CommandSpec } from '../command-spec';
import { table } from '../render';

export const quotaCommands: CommandSpec[] = [
  {
    name: 'quota get',
    args: '<tenant> <meter>',
    required: 2,
    summary: 'A tenant’s quota of a meter for a month (qry.quota.GetQuota).',
    options: {
      month: { type: 'string', value: '<YYYY-MM>', description: 'default this UTC month' },
    },
    async run(ctx, [tenantId, meter], values) {
      const month = str(values.month);
      const q = await ctx.query<QuotaReply>('qry.quota.GetQuota', {
        tenantId,
        meter,
        ...(month ? { month } : {}),
      });
      ctx.print(
        q,
        () =>
          `${q.tenantId} ${q.meter} ${q.month} (${q.tier}): used ${q.used}, reserved ${q.reserved}, remaining ${q.remaining} of ${q.limit}; resets ${q.resetsAt}`,
      );
    },
  },
  {
    name: 'quota set-tier',
    args: '<tenant> <tier>',
    required: 2,
    summary: 'Set a tenant’s tier: free | pro | enterprise (cmd.quota.SetTier).',
    async run(ctx, [tenantId, tier]) {
      const data = await ctx.command<unknown>('cmd.quota.SetTier', { tenantId, tier });
      ctx.print(data ?? { tenantId, tier }, () => `${tenantId} is now on the ${tier} tier.`);
    },
  },
  {
    name: 'quota jobs',
    args: '<tenant>',
    required: 1,
    summary: 'A tenant’s async jobs, newest first (qry.quota.ListJobs).',
    options: {
      status: {
        type: 'string',
        value: '<status>',
        description: 'pending | processing | completed | failed',
      },
    },
    async run(ctx, [tenantId], values) {
      const status = str(values.status);
      const page = await ctx.query<ListJobsReply>('qry.quota.ListJobs', {
        tenantId,
        limit: 1000,
        ...(status ? { status } : {}),
      });
      ctx.print(page, () =>
        table(
          ['job', 'status', 'meter', 'kind', 'retries', 'requested', 'error'],
          page.items.map((j) => [
            j.jobId,
            j.status,
            j.meter,
            j.kind,
            `${j.retryCount}/${j.maxRetries}`,
            j.requestedAt,
            j.errorCode,
          ]),
        ),
      );
    },
  },
];
