import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsString, IsUUID, Length, Min, ValidateNested } from 'class-validator';
import { defineEvent } from '../messages';
import { RolloutSettingsDto } from './rollout-settings.dto';

/** A state rollout was accepted: its communities are about to be queued. */
export class StateRolloutStarted {
  @IsUUID()
  stateRolloutId!: string;

  @IsString()
  @Length(2, 2)
  stateCode!: string;

  @IsString()
  stateName!: string;

  @IsInt()
  @Min(1)
  totalCommunities!: number;

  @ValidateNested()
  @Type(() => RolloutSettingsDto)
  settings!: RolloutSettingsDto;

  @IsString()
  initiatedBy!: string;

  @IsISO8601()
  startedAt!: string;
}

export const StateRolloutStartedEvent = defineEvent(
  'orchestrator',
  'StateRolloutStarted',
  StateRolloutStarted,
  {
    aggregateType: 'StateRollout',
    summary: 'A state rollout was accepted; its communities are queued next.',
  },
);
