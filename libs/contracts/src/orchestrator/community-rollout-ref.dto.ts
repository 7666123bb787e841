import { IsUUID } from 'class-validator';
import { StateCodeField } from './fields';

/** Identifies a community rollout in every community event of the orchestrator. */
export abstract class CommunityRolloutRef {
  @IsUUID()
  communityRolloutId!: string;

  @IsUUID()
  stateRolloutId!: string;

  /** The community of the registry. */
  @IsUUID()
  communityId!: string;

  @StateCodeField()
  stateCode!: string;
}
