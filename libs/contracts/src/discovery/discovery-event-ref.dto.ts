import { IsOptional, IsUUID } from 'class-validator';
import { StateCodeField } from '../orchestrator/fields';

/** Identifies the community rollout that discovery's events belong to. */
export abstract class DiscoveryEventRef {
  @IsUUID()
  communityRolloutId!: string;

  @IsUUID()
  stateRolloutId!: string;

  /** The community of the registry (as in `CommunityPhaseRequested`). */
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @StateCodeField()
  stateCode!: string;
}
