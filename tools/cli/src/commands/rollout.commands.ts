import type { StateProgressReply } from '@rcp/contracts';
import type { CommandSpec, OptionValues } from '../command-spec';
import { str } from '../command-spec';
import { UsageError } from '../cli-errors';
import type { CliContext } from '../cli-context';

function settingsOf(values: OptionValues): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  const int = (name: string, key: string) => {
    const raw = str(values[name]);
    if (raw === undefined) return;
    if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
    settings[key] = Number(raw);
  };
  int('batch-size', 'batchSize');
  int('throttle-ms', 'throttleMs');
  int('concurrency', 'concurrentCommunities');
  if (values['skip-enrichment']) settings.skipEnrichment = true;
  const priority = str(values.priority);
  if (priority)
    settings.priorityCommunities = priority
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const budget = str(values.budget);
  if (budget !== undefined) settings.budget = budget;
  return settings;
}

export const startCommand: CommandSpec = {
  name: 'start',
  args: '<STATE>',
  required: 1,
  summary: 'Start rolling out every community of a state (cmd.orchestrator.StartStateRollout).',
  options: {
    'batch-size': {
      type: 'string',
      value: '<n>',
      description: 'communities in flight at once (default 5)',
    },
    'throttle-ms': {
      type: 'string',
      value: '<ms>',
      description: 'pause between dispatches (default 100)',
    },
    concurrency: {
      type: 'string',
      value: '<n>',
      description: 'communities processed concurrently',
    },
    'skip-enrichment': { type: 'boolean', description: 'skip phase 4 (enrichment)' },
    priority: {
      type: 'string',
      value: '<ids>',
      description: 'community ids to dispatch first, comma-separated',
    },
    budget: { type: 'string', value: '<usd>', description: 'spend ceiling in USD, e.g. 250.00' },
  },
  examples: ['rollout start RI --batch-size 3 --budget 50.00', 'rollout start TX --json'],
  async run(ctx, [state], values) {
    const data = await ctx.command<{
      stateRolloutId: string;
      stateCode: string;
      totalCommunities: number;
    }>('cmd.orchestrator.StartStateRollout', {
      stateCode: state,
      settings: settingsOf(values),
      initiatedBy: ctx.options.actor,
    });
    const traceId = ctx.lastTraceId;
    ctx.print({ ...data, traceId }, () =>
      [
        `Started rollout ${data.stateRolloutId} of ${data.stateCode}: ${data.totalCommunities} communities queued.`,
        `Trace: ${traceId}   Watch it: rollout status ${data.stateCode} --watch`,
      ].join('\n'),
    );
  },
};

function lifecycle(verb: 'pause' | 'resume' | 'cancel', name: string): CommandSpec {
  return {
    name: verb,
    args: '<STATE>',
    required: 1,
    summary: `${verb[0].toUpperCase()}${verb.slice(1)} the latest rollout of a state (cmd.orchestrator.${name}).`,
    options: {
      reason: { type: 'string', value: '<text>', description: 'why (kept on the event)' },
    },
    async run(ctx: CliContext, [state], values) {
      const reason = str(values.reason);
      await ctx.command(`cmd.orchestrator.${name}`, {
        stateCode: state,
        ...(reason ? { reason } : {}),
      });
      const progress = await ctx.query<StateProgressReply>('qry.orchestrator.GetStateProgress', {
        stateCode: state,
      });
      ctx.print(
        progress,
        () => `${progress.stateCode} rollout ${progress.stateRolloutId} is now ${progress.status}.`,
      );
    },
  };
}

export const pauseCommand = lifecycle('pause', 'PauseStateRollout');
export const resumeCommand = lifecycle('resume', 'ResumeStateRollout');
export const cancelCommand = lifecycle('cancel', 'CancelStateRollout');
