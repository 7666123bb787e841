import { traceHeaders } from '@rcp/telemetry';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CommunityPhaseRequested, CommunityPhaseRequestedEvent, ERROR_CODES } from '@rcp/contracts';
import { DomainError } from '@rcp/domain';
import type { Projection } from '@rcp/eventing';
import { OWNED_PHASES } from '../phases/phase-runner';

/** Validates a request's data; a malformed one is dead-lettered (it cannot even be answered). */
export function parsePhaseRequest(data: unknown): CommunityPhaseRequested {
  const request = plainToInstance(CommunityPhaseRequested, data);
  const errors = validateSync(request as object, { forbidUnknownValues: false });
  if (errors.length > 0)
    throw new DomainError(
      ERROR_CODES.VALIDATION_FAILED,
      `invalid CommunityPhaseRequested: ${errors.map((e) => Object.values(e.constraints ?? {}).join(', ')).join('; ')}`,
    );
  return request;
}

/**
 * Records each phase request discovery owns as a `phase_jobs` row (once per rollout, phase and
 * attempt); the worker pool does the slow work outside this batch's transaction. The jobs are a
 * work queue, not a read model: a rebuild leaves them alone, so answered phases are not re-run.
 */
export const phaseRequestsProjection: Projection = {
  name: 'phase-requests',
  filterSubject: CommunityPhaseRequestedEvent.subjectFilter,
  eventTypes: [CommunityPhaseRequestedEvent.type],
  tables: [],
  maxDeliver: 3,
  backoffMs: [200, 1_000],
  async apply(event, tx) {
    const request = parsePhaseRequest(event.data);
    if (!OWNED_PHASES.includes(request.phase)) return;
    await tx.query(
      `INSERT INTO phase_jobs (community_rollout_id, phase, attempt, state_code, request, deadline, requested_event_id, trace_headers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        request.communityRolloutId,
        request.phase,
        request.attempt,
        request.stateCode,
        JSON.stringify(event.data),
        request.deadline,
        event.id,
        JSON.stringify(traceHeaders()),
      ],
    );
  },
};
