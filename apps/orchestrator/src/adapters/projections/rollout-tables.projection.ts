import type { EventEnvelope } from '@rcp/contracts';
import type { InlineProjection } from '@rcp/eventing';
import type { CommunityRolloutEvent } from '../../domain/community-rollout/community-rollout';
import type { StateRolloutEvent } from '../../domain/state-rollout/state-rollout';
import type { RegistryEvent } from '../../domain/registry/registry';
import { projectCommunityEvent } from './community-rollouts.sql';
import { projectRegistryEvent } from './communities.sql';
import { projectStateEvent } from './state-rollouts.sql';

/** A SQL statement a projection wants run, with its parameters. */
export interface SqlChange {
  sql: string;
  params: unknown[];
}

type OrchestratorEvent = StateRolloutEvent | CommunityRolloutEvent | RegistryEvent;

/** Pure: the SQL changes one orchestrator event makes to its tables. */
export function projectRollout(envelope: EventEnvelope): SqlChange[] {
  const event = { type: envelope.type, data: envelope.data } as OrchestratorEvent;
  return (
    projectStateEvent(event) ?? projectCommunityEvent(event) ?? projectRegistryEvent(event) ?? []
  );
}

/** `state_rollouts`, `community_rollouts` and `communities`, kept in the command's transaction. */
export const rolloutTables: InlineProjection = {
  name: 'rollout-tables',
  tables: ['community_rollouts', 'state_rollouts', 'communities'],
  async apply(envelope, tx) {
    for (const change of projectRollout(envelope)) await tx.query(change.sql, change.params);
  },
};
