import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineQuery, QueryDto } from '../messages';
import type { PageReply } from '../orchestrator/list-state-rollouts.query';
import type {
  CategoryThresholds,
  EmergencyStopSource,
  FlagHistoryAction,
  FlagStrategy,
  SubjectCategory,
  TriggeredBy,
} from './flag.constants';
import { FlagNameField } from './flag.fields';

/** One flag's configuration. */
export class GetFlag extends QueryDto {
  @FlagNameField()
  flag!: string;
}

/** All flags, by name. */
export class ListFlags extends QueryDto {
  @IsOptional()
  @IsBoolean()
  isActive?: boolean;

  @IsOptional() @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsInt() @Min(0) offset?: number;
}

/** Error rates and job counts of a flag over its monitoring window (or `windowHours`). */
export class GetRolloutStats extends QueryDto {
  @FlagNameField()
  flag!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  windowHours?: number;
}

/** A flag's change history, newest first. */
export class GetRolloutHistory extends QueryDto {
  @FlagNameField()
  flag!: string;

  @IsOptional() @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsInt() @Min(0) offset?: number;
}

/** Reply of `qry.flags.GetFlag` (and the items of `ListFlags`). */
export interface FlagView {
  flag: string;
  description: string | null;
  groupId: string;
  rolloutPercentage: number;
  isActive: boolean;
  strategy: FlagStrategy;
  allowList: string[];
  denyList: string[];
  categories: SubjectCategory[];
  categoryThresholds: CategoryThresholds;
  maxErrorRate: number;
  monitoringWindowHours: number;
  autoRollbackEnabled: boolean;
  emergencyStop: boolean;
  /** Set when stopped, including by the environment override. */
  emergencyStopSource: EmergencyStopSource | null;
  metadata: Record<string, unknown>;
  /** A running ramp, if any. */
  ramp: {
    rampId: string;
    toPercentage: number;
    stepPercentage: number;
    intervalMs: number;
    startAt: string;
    nextStepAt: string;
  } | null;
  configVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** Every flag with the event-stream position the answer reflects (for client caches). */
export class GetFlagsSnapshot extends QueryDto {}

/**
 * Reply of `qry.flags.GetFlagsSnapshot`: a client loads this, then follows `events.flags.>` from
 * `streamSequence + 1` on `ROLLOUT_EVENTS`, so no change falls between the load and the feed.
 */
export interface FlagsSnapshotReply {
  flags: FlagView[];
  streamSequence: number;
}

/** Reply of `qry.flags.ListFlags`. */
export type ListFlagsReply = PageReply<FlagView>;

/** Job figures of one processor (or one subject and processor). */
export interface RolloutMetricsView {
  processor: string;
  subjectId?: string;
  successCount: number;
  errorCount: number;
  totalJobs: number;
  /** Percent, two decimals. */
  errorRate: number;
  averageDurationMs: number | null;
  lastErrorMessage: string | null;
  lastErrorAt: string | null;
}

/** Reply of `qry.flags.GetRolloutStats`. */
export interface RolloutStatsReply {
  flag: string;
  rolloutPercentage: number;
  windowStart: string;
  windowEnd: string;
  totalJobs: number;
  errorCount: number;
  errorRate: number;
  maxErrorRate: number;
  /** `ok`, `warning` (> 2.5 %), `critical` (> 10 %). */
  health: 'ok' | 'warning' | 'critical';
  byProcessor: RolloutMetricsView[];
  subjectsSeen: number;
}

/** One `rollout_history` row. */
export interface RolloutHistoryEntry {
  id: string;
  flag: string;
  action: FlagHistoryAction;
  previousPercentage: number | null;
  newPercentage: number | null;
  reason: string | null;
  triggeredBy: TriggeredBy;
  actor: string;
  metadata: Record<string, unknown>;
  createdAt: string;
}

/** Reply of `qry.flags.GetRolloutHistory`. */
export type RolloutHistoryReply = PageReply<RolloutHistoryEntry>;

export const GetFlagQuery = defineQuery('flags', 'GetFlag', GetFlag, "A flag's configuration.");
export const ListFlagsQuery = defineQuery('flags', 'ListFlags', ListFlags, 'All flags.');
export const GetFlagsSnapshotQuery = defineQuery(
  'flags',
  'GetFlagsSnapshot',
  GetFlagsSnapshot,
  'Every flag and the stream sequence it reflects (for client caches).',
);
export const GetRolloutStatsQuery = defineQuery(
  'flags',
  'GetRolloutStats',
  GetRolloutStats,
  'Job counts and error rates of a flag over its window.',
);
export const GetRolloutHistoryQuery = defineQuery(
  'flags',
  'GetRolloutHistory',
  GetRolloutHistory,
  "A flag's change history.",
);
