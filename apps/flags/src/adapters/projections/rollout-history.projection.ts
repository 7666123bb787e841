import type { EventEnvelope, FlagHistoryAction, TriggeredBy } from '@rcp/contracts';
import type { Projection } from '@rcp/eventing';
import { FLAG_CONFIG_EVENT_TYPES } from '@rcp/flags-client';
import { flagConfigId } from './flag-ids';

/** One `rollout_history` row, before it is written. */
export interface HistoryRow {
  id: string;
  flag: string;
  action: FlagHistoryAction;
  previousPercentage: number | null;
  newPercentage: number | null;
  reason: string | null;
  triggeredBy: TriggeredBy;
  actor: string;
  configVersion: number;
  metadata: Record<string, unknown>;
  createdAt: string;
}

type Data = Record<string, unknown>;
type Change = Pick<HistoryRow, 'action'> & Partial<HistoryRow>;

const num = (value: unknown) => (typeof value === 'number' ? value : null);
const pick = (data: Data, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]]));

const CHANGES: Record<string, (d: Data) => Change> = {
  FlagCreated: (d) => ({
    action: 'created',
    newPercentage: num(d.rolloutPercentage),
    metadata: pick(d, ['strategy', 'isActive', 'groupId']),
  }),
  FlagUpdated: (d) => ({ action: 'updated', metadata: { changes: d.changes } }),
  RolloutPercentageChanged: (d) => ({
    action: 'percentage_changed',
    previousPercentage: num(d.previousPercentage),
    newPercentage: num(d.newPercentage),
    triggeredBy: d.triggeredBy as TriggeredBy,
  }),
  StrategyChanged: (d) => ({
    action: 'strategy_changed',
    metadata: pick(d, ['previousStrategy', 'newStrategy']),
  }),
  SubjectsAllowed: (d) => ({ action: 'subjects_allowed', metadata: pick(d, ['subjectIds']) }),
  SubjectsDisallowed: (d) => ({ action: 'subjects_disallowed', metadata: pick(d, ['subjectIds']) }),
  SubjectsDenied: (d) => ({ action: 'subjects_denied', metadata: pick(d, ['subjectIds']) }),
  SubjectsUndenied: (d) => ({ action: 'subjects_undenied', metadata: pick(d, ['subjectIds']) }),
  EmergencyStopped: (d) => ({
    action: 'emergency_stop',
    previousPercentage: num(d.previousPercentage),
    metadata: pick(d, ['source']),
  }),
  EmergencyStopReleased: () => ({ action: 'emergency_stop_released' }),
  RampScheduled: (d) => ({
    action: 'ramp_scheduled',
    metadata: pick(d, [
      'rampId',
      'fromPercentage',
      'stepPercentage',
      'toPercentage',
      'intervalMs',
      'startAt',
    ]),
  }),
  RampStepApplied: (d) => ({
    action: 'ramp_step',
    previousPercentage: num(d.previousPercentage),
    newPercentage: num(d.newPercentage),
    triggeredBy: 'schedule',
    metadata: pick(d, ['rampId', 'stepIndex', 'isFinal']),
  }),
  RampCancelled: (d) => ({
    action: 'ramp_cancelled',
    triggeredBy: d.reason === 'auto-rollback' ? 'auto_rollback' : 'manual',
    metadata: pick(d, ['rampId']),
  }),
  FlagRolledBack: (d) => ({
    action: 'rollback',
    previousPercentage: num(d.previousPercentage),
    newPercentage: 0,
    triggeredBy: 'auto_rollback',
    metadata: pick(d, ['errorRate', 'errorCount', 'totalJobs', 'windowHours', 'maxErrorRate']),
  }),
};

/** The history row of a flag event (null for events that change nothing in the history). */
export function historyRowOf(event: EventEnvelope): HistoryRow | null {
  const change = CHANGES[event.type];
  if (!change) return null;
  const data = event.data as Data;
  return {
    id: event.id,
    flag: event.aggregate.id,
    previousPercentage: null,
    newPercentage: null,
    reason: typeof data.reason === 'string' ? data.reason : null,
    triggeredBy: 'manual',
    actor: event.actor,
    configVersion: event.aggregate.version,
    metadata: {},
    createdAt: event.occurredAt,
    ...change(data),
  };
}

export const rolloutHistoryProjection: Projection = {
  name: 'rollout-history',
  filterSubject: 'events.flags.>',
  eventTypes: FLAG_CONFIG_EVENT_TYPES,
  tables: ['rollout_history'],
  async apply(event, tx) {
    const row = historyRowOf(event);
    if (!row) return;
    await tx.query(
      `INSERT INTO rollout_history (id, rollout_config_id, feature_name, action, previous_percentage, new_percentage,
         reason, triggered_by, actor, config_version, metadata, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (id) DO NOTHING`,
      [
        row.id,
        flagConfigId(row.flag),
        row.flag,
        row.action,
        row.previousPercentage,
        row.newPercentage,
        row.reason,
        row.triggeredBy,
        row.actor,
        row.configVersion,
        JSON.stringify(row.metadata),
        row.createdAt,
      ],
    );
  },
};
