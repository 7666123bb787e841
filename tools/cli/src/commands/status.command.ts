import type { ListStateRolloutsReply, StateProgressReply } from '@rcp/contracts';
import type { CliContext } from '../cli-context';
import { str, type CommandSpec } from '../command-spec';
import { UsageError } from '../cli-errors';
import { isFinished, renderProgress, renderRollouts } from './progress.render';

const CLEAR = '\x1b[H\x1b[2J';

async function snapshot(ctx: CliContext, state?: string) {
  if (state)
    return ctx.query<StateProgressReply>('qry.orchestrator.GetStateProgress', { stateCode: state });
  return (
    await ctx.query<ListStateRolloutsReply>('qry.orchestrator.ListStateRollouts', { limit: 50 })
  ).items;
}

function show(
  ctx: CliContext,
  data: StateProgressReply | ListStateRolloutsReply['items'],
  redraw: boolean,
) {
  if (ctx.json) return ctx.out(JSON.stringify(data));
  const text = Array.isArray(data) ? renderRollouts(data) : renderProgress(data);
  ctx.out(redraw ? `${CLEAR}${text}\n\n(refreshing; Ctrl-C to stop)` : text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const statusCommand: CommandSpec = {
  name: 'status',
  args: '[STATE]',
  summary:
    'Progress of a state rollout (bar, per-phase funnel, cost), or every rollout without STATE.',
  options: {
    watch: {
      type: 'boolean',
      short: 'w',
      description: 'refresh until the rollout ends (JSON: one line per refresh)',
    },
    interval: {
      type: 'string',
      value: '<ms>',
      description: 'refresh interval with --watch (default 1000)',
    },
    'max-refreshes': {
      type: 'string',
      value: '<n>',
      description: 'stop --watch after n refreshes',
    },
  },
  examples: ['rollout status', 'rollout status RI --watch', 'rollout status RI --json'],
  async run(ctx, [state], values) {
    const interval = Number(str(values.interval) ?? 1_000);
    const max = Number(str(values['max-refreshes']) ?? Infinity);
    if (!Number.isFinite(interval) || interval < 100)
      throw new UsageError('--interval must be at least 100 ms');
    const redraw = Boolean(values.watch) && process.stdout.isTTY === true && !ctx.json;
    for (let n = 1; ; n++) {
      const data = await snapshot(ctx, state);
      show(ctx, data, redraw);
      const done = Array.isArray(data) ? data.every(isFinished) : isFinished(data);
      if (!values.watch || done || n >= max) return;
      await sleep(interval);
    }
  },
};
