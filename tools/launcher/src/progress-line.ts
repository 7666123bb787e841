import type { StateProgressReply } from '@rcp/contracts';

const BAR_WIDTH = 24;

/** One line of live progress: bar, counts, what is in flight, and money so far. */
export function progressLine(p: StateProgressReply): string {
  const done = p.completedCommunities + p.failedCommunities;
  const filled = p.totalCommunities === 0 ? 0 : Math.round((done / p.totalCommunities) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const inFlight = Object.entries(p.statusBreakdown)
    .filter(([status, n]) => status.startsWith('phase_') && n > 0)
    .map(([status, n]) => `p${status.split('_')[1]}:${n}`)
    .join(' ');
  return [
    `[${p.stateCode}] ${bar} ${p.progressPercentage.toFixed(1)}%`,
    `${p.completedCommunities}/${p.totalCommunities} done, ${p.failedCommunities} failed, ${p.statusBreakdown.queued} queued`,
    `in flight ${inFlight || '-'}`,
    `businesses ${p.totalBusinessesDiscovered}, sources ${p.totalNewsSourcesCreated}, cost $${p.totalApiCost} (~$${p.estimatedRemainingCost} to go)`,
    p.status,
  ].join(' | ');
}
