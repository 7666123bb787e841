import type {
  FlagView,
  ListFlagsReply,
  RolloutHistoryReply,
  RolloutStatsReply,
} from '@rcp/contracts';
import type { CliContext } from '../cli-context';
import { str, type CommandSpec } from '../command-spec';
import { UsageError } from '../cli-errors';
import { table } from '../render';

const flagLine = (f: FlagView) => [
  f.flag,
  `${f.rolloutPercentage}%`,
  f.strategy,
  f.isActive ? 'active' : 'inactive',
  f.emergencyStop ? `STOPPED (${f.emergencyStopSource ?? 'flag'})` : '',
  f.ramp ? `ramp → ${f.ramp.toPercentage}%` : '',
];
const FLAG_HEADER = ['flag', 'percent', 'strategy', 'active', 'emergency stop', 'ramp'];

async function showFlag(ctx: CliContext, flag: string) {
  const view = await ctx.query<FlagView>('qry.flags.GetFlag', { flag });
  ctx.print(view, () => table(FLAG_HEADER, [flagLine(view)]));
}

function percentage(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,3}$/.test(raw) || Number(raw) > 100)
    throw new UsageError(`percentage must be a whole number 0–100, got "${raw ?? ''}"`);
  return Number(raw);
}

const reasonOption = {
  reason: { type: 'string' as const, value: '<text>', description: 'why (kept in the history)' },
};
const withReason = (values: Record<string, unknown>) =>
  str(values.reason as never) ? { reason: values.reason } : {};

export const flagsCommands: CommandSpec[] = [
  {
    name: 'flags list',
    summary: 'All flags (qry.flags.ListFlags).',
    async run(ctx) {
      const page = await ctx.query<ListFlagsReply>('qry.flags.ListFlags', { limit: 1000 });
      ctx.print(page, () => table(FLAG_HEADER, page.items.map(flagLine)));
    },
  },
  {
    name: 'flags get',
    args: '<flag>',
    required: 1,
    summary: 'One flag’s configuration (qry.flags.GetFlag).',
    run: (ctx, [flag]) => showFlag(ctx, flag),
  },
  {
    name: 'flags create',
    args: '<flag>',
    required: 1,
    summary: 'Create a flag (cmd.flags.CreateFlag).',
    options: {
      percentage: {
        type: 'string',
        value: '<0-100>',
        description: 'initial rollout percentage (default 0)',
      },
      strategy: { type: 'string', value: '<s>', description: 'percentage | whitelist | category' },
      description: { type: 'string', value: '<text>', description: 'what the flag guards' },
      ...reasonOption,
    },
    async run(ctx, [flag], values) {
      const description = str(values.description);
      await ctx.command('cmd.flags.CreateFlag', {
        flag,
        ...(values.percentage !== undefined
          ? { rolloutPercentage: percentage(str(values.percentage)) }
          : {}),
        ...(str(values.strategy) ? { strategy: values.strategy } : {}),
        ...(description ? { settings: { description } } : {}),
        ...withReason(values),
      });
      await showFlag(ctx, flag);
    },
  },
  {
    name: 'flags set',
    args: '<flag> <percentage>',
    required: 2,
    summary: 'Set a flag’s rollout percentage (cmd.flags.SetRolloutPercentage).',
    options: reasonOption,
    async run(ctx, [flag, pct], values) {
      await ctx.command('cmd.flags.SetRolloutPercentage', {
        flag,
        percentage: percentage(pct),
        ...withReason(values),
      });
      await showFlag(ctx, flag);
    },
  },
  {
    name: 'flags stop',
    args: '<flag>',
    required: 1,
    summary: 'Emergency stop: switch a flag off for everyone (cmd.flags.EmergencyStop).',
    options: { reason: { type: 'string', value: '<text>', description: 'why (required)' } },
    async run(ctx, [flag], values) {
      await ctx.command('cmd.flags.EmergencyStop', {
        flag,
        reason: str(values.reason) ?? 'stopped from the CLI',
      });
      await showFlag(ctx, flag);
    },
  },
  {
    name: 'flags release',
    args: '<flag>',
    required: 1,
    summary: 'Release a flag’s emergency stop (cmd.flags.ReleaseEmergencyStop).',
    options: reasonOption,
    async run(ctx, [flag], values) {
      await ctx.command('cmd.flags.ReleaseEmergencyStop', { flag, ...withReason(values) });
      await showFlag(ctx, flag);
    },
  },
  {
    name: 'flags history',
    args: '<flag>',
    required: 1,
    summary: 'A flag’s change history, newest first (qry.flags.GetRolloutHistory).',
    async run(ctx, [flag]) {
      const page = await ctx.query<RolloutHistoryReply>('qry.flags.GetRolloutHistory', {
        flag,
        limit: 1000,
      });
      ctx.print(page, () =>
        table(
          ['at', 'action', 'from', 'to', 'by', 'triggered', 'reason'],
          page.items.map((h) => [
            h.createdAt,
            h.action,
            h.previousPercentage,
            h.newPercentage,
            h.actor,
            h.triggeredBy,
            h.reason,
          ]),
        ),
      );
    },
  },
  {
    name: 'flags stats',
    args: '<flag>',
    required: 1,
    summary: 'Job counts and error rates over the monitoring window (qry.flags.GetRolloutStats).',
    options: {
      window: {
        type: 'string',
        value: '<hours>',
        description: 'window in hours (default the flag’s)',
      },
    },
    async run(ctx, [flag], values) {
      const window = str(values.window);
      const stats = await ctx.query<RolloutStatsReply>('qry.flags.GetRolloutStats', {
        flag,
        ...(window ? { windowHours: Number(window) } : {}),
      });
      ctx.print(stats, () =>
        [
          `${stats.flag}: ${stats.rolloutPercentage}%  health ${stats.health}  error rate ${stats.errorRate}% (max ${stats.maxErrorRate}%)  jobs ${stats.totalJobs}`,
          `window ${stats.windowStart} → ${stats.windowEnd}`,
          table(
            ['processor', 'jobs', 'errors', 'error %', 'avg ms', 'last error'],
            stats.byProcessor.map((p) => [
              p.processor,
              p.totalJobs,
              p.errorCount,
              p.errorRate,
              p.averageDurationMs,
              p.lastErrorMessage,
            ]),
          ),
        ].join('\n'),
      );
    },
  },
];
