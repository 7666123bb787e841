import {
  PHASE_NAMES,
  PHASES,
  type StateProgressReply,
  type StateRolloutSummary,
} from '@rcp/contracts';
import { bar, segment, table, usd } from '../render';

const FINISHED = new Set(['completed', 'cancelled']);

export const isFinished = (p: { status: string }) => FINISHED.has(p.status);

function funnel(p: StateProgressReply): string[] {
  const rows = PHASES.map((phase) => {
    const b = p.phaseBreakdown[String(phase)] ?? {};
    const done = (b.completed ?? 0) + (b.skipped ?? 0);
    return [
      `${phase} ${PHASE_NAMES[phase]}`,
      segment(done, p.totalCommunities),
      `${done}/${p.totalCommunities}`,
      b.running ?? 0,
      b.failed ?? 0,
      b.skipped ?? 0,
    ];
  });
  return table(['phase', 'done', '', 'running', 'failed', 'skipped'], rows).split('\n');
}

function breakdown(p: StateProgressReply): string {
  return Object.entries(p.statusBreakdown)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${status} ${n}`)
    .join(' · ');
}

/** A state's progress: bar, counts, per-phase funnel, totals and cost. */
export function renderProgress(p: StateProgressReply): string {
  const ended = p.completedCommunities + p.failedCommunities;
  return [
    `${p.stateName} (${p.stateCode})  rollout ${p.stateRolloutId}  ${p.status.toUpperCase()}${p.statusReason ? ` (${p.statusReason})` : ''}`,
    `${bar(p.totalCommunities ? ended / p.totalCommunities : 0)}  ${p.completedCommunities} completed, ${p.failedCommunities} failed of ${p.totalCommunities}`,
    `communities: ${breakdown(p) || 'none'}`,
    '',
    ...funnel(p),
    '',
    `businesses ${p.totalBusinessesDiscovered}   news sources ${p.totalNewsSourcesCreated}   cost ${usd(p.totalApiCost)}   est. remaining ${usd(p.estimatedRemainingCost)}`,
    `started ${p.startedAt ?? '-'}   completed ${p.completedAt ?? '-'}   by ${p.initiatedBy}`,
  ].join('\n');
}

/** Every state rollout, one line each. */
export function renderRollouts(items: StateRolloutSummary[]): string {
  if (items.length === 0) return 'No state rollouts yet. Start one: rollout start <STATE>';
  return table(
    ['state', 'status', 'progress', 'done', 'failed', 'total', 'cost', 'started', 'rollout'],
    items.map((r) => [
      r.stateCode,
      r.status,
      bar(
        r.totalCommunities
          ? (r.completedCommunities + r.failedCommunities) / r.totalCommunities
          : 0,
        12,
      ),
      r.completedCommunities,
      r.failedCommunities,
      r.totalCommunities,
      usd(r.totalApiCost),
      r.startedAt,
      r.stateRolloutId,
    ]),
  );
}
