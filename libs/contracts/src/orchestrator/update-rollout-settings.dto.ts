import { ValidateNested } from 'class-validator';
import { defineCommand } from '../messages';
import { RolloutSettingsDto, SettingsType } from './rollout-settings.dto';
import { StateRolloutTargetCommand } from './state-rollout-target.dto';

/**
 * Changes the settings of a rollout that has not ended. Only the fields given change; batch size and
 * throttle take effect at the next dispatch.
 */
export class UpdateRolloutSettings extends StateRolloutTargetCommand {
  @ValidateNested()
  @SettingsType()
  settings!: RolloutSettingsDto;
}

export const UpdateRolloutSettingsCommand = defineCommand(
  'orchestrator',
  'UpdateRolloutSettings',
  UpdateRolloutSettings,
  'Change batch size, throttle, priorities or budget of a running rollout (next dispatch).',
);
