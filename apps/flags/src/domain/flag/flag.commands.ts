import type {
  CancelRamp,
  CreateFlag,
  EmergencyStopSource,
  FlagSubjectsCommand,
  ReleaseEmergencyStop,
  ScheduleRamp,
  SetRolloutPercentage,
  SetStrategy,
  UpdateFlag,
} from '@rcp/contracts';

/** Error-rate figures of a flag over its window, as the metrics side measured them. */
export interface WindowFigures {
  totalJobs: number;
  errorCount: number;
  /** Percent, two decimals. */
  errorRate: number;
  windowHours: number;
}

/** Every command the Flag aggregate decides; `now` is the command's clock. */
export type FlagCommand =
  | { type: 'CreateFlag'; input: CreateFlag; now: Date }
  | { type: 'UpdateFlag'; input: UpdateFlag; now: Date }
  | { type: 'SetRolloutPercentage'; input: SetRolloutPercentage; now: Date }
  | { type: 'SetStrategy'; input: SetStrategy; now: Date }
  | {
      type: 'AllowSubjects' | 'DisallowSubjects' | 'DenySubjects' | 'UndenySubjects';
      input: FlagSubjectsCommand;
      now: Date;
    }
  | {
      type: 'EmergencyStop';
      input: { flag: string; reason: string };
      source: EmergencyStopSource;
      now: Date;
    }
  | { type: 'ReleaseEmergencyStop'; input: ReleaseEmergencyStop; now: Date }
  | { type: 'ScheduleRamp'; input: ScheduleRamp; rampId: string; now: Date }
  | { type: 'CancelRamp'; input: CancelRamp; now: Date }
  | { type: 'ApplyRampStep'; flag: string; rampId: string; stepIndex: number; now: Date }
  | { type: 'RollBack'; flag: string; figures: WindowFigures; now: Date };
