import type { FlagView } from '@rcp/contracts';
import type { Queryable } from '@rcp/persistence';
import { flagConfigId } from './flag-ids';

/** A `rollout_configuration` row as pg returns it. */
export interface FlagRow {
  feature_name: string;
  description: string | null;
  group_id: string;
  rollout_percentage: number;
  is_active: boolean;
  target_repositories: string[];
  excluded_repositories: string[];
  rollout_strategy: FlagView['strategy'];
  categories: FlagView['categories'];
  category_thresholds: FlagView['categoryThresholds'];
  max_error_rate: string;
  monitoring_window_hours: number;
  auto_rollback_enabled: boolean;
  emergency_stop: boolean;
  emergency_stop_source: FlagView['emergencyStopSource'];
  metadata: Record<string, unknown>;
  ramp: FlagView['ramp'];
  config_version: number;
  created_at: Date;
  updated_at: Date;
}

export function viewOfRow(row: FlagRow): FlagView {
  return {
    flag: row.feature_name,
    description: row.description,
    groupId: row.group_id,
    rolloutPercentage: row.rollout_percentage,
    isActive: row.is_active,
    strategy: row.rollout_strategy,
    allowList: row.target_repositories,
    denyList: row.excluded_repositories,
    categories: row.categories,
    categoryThresholds: row.category_thresholds,
    maxErrorRate: Number(row.max_error_rate),
    monitoringWindowHours: row.monitoring_window_hours,
    autoRollbackEnabled: row.auto_rollback_enabled,
    emergencyStop: row.emergency_stop,
    emergencyStopSource: row.emergency_stop_source,
    metadata: row.metadata,
    ramp: row.ramp,
    configVersion: row.config_version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function selectFlags(
  db: Queryable,
  where = 'TRUE',
  params: unknown[] = [],
  tail = '',
): Promise<FlagView[]> {
  const rows = await db.query<FlagRow>(
    `SELECT * FROM rollout_configuration WHERE ${where} ORDER BY feature_name ${tail}`,
    params,
  );
  return rows.map(viewOfRow);
}

export async function upsertFlag(tx: Queryable, view: FlagView): Promise<void> {
  await tx.query(
    `INSERT INTO rollout_configuration (id, feature_name, description, group_id, rollout_percentage, is_active,
       target_repositories, excluded_repositories, rollout_strategy, categories, category_thresholds, max_error_rate,
       monitoring_window_hours, auto_rollback_enabled, emergency_stop, emergency_stop_source, metadata, ramp,
       config_version, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)
     ON CONFLICT (feature_name) DO UPDATE SET description = EXCLUDED.description, group_id = EXCLUDED.group_id,
       rollout_percentage = EXCLUDED.rollout_percentage, is_active = EXCLUDED.is_active,
       target_repositories = EXCLUDED.target_repositories, excluded_repositories = EXCLUDED.excluded_repositories,
       rollout_strategy = EXCLUDED.rollout_strategy, categories = EXCLUDED.categories,
       category_thresholds = EXCLUDED.category_thresholds, max_error_rate = EXCLUDED.max_error_rate,
       monitoring_window_hours = EXCLUDED.monitoring_window_hours, auto_rollback_enabled = EXCLUDED.auto_rollback_enabled,
       emergency_stop = EXCLUDED.emergency_stop, emergency_stop_source = EXCLUDED.emergency_stop_source,
       metadata = EXCLUDED.metadata, ramp = EXCLUDED.ramp, config_version = EXCLUDED.config_version,
       updated_at = EXCLUDED.updated_at`,
    [
      flagConfigId(view.flag),
      view.flag,
      view.description,
      view.groupId,
      view.rolloutPercentage,
      view.isActive,
      view.allowList,
      view.denyList,
      view.strategy,
      view.categories,
      JSON.stringify(view.categoryThresholds),
      view.maxErrorRate,
      view.monitoringWindowHours,
      view.autoRollbackEnabled,
      view.emergencyStop,
      view.emergencyStopSource,
      JSON.stringify(view.metadata),
      view.ramp ? JSON.stringify(view.ramp) : null,
      view.configVersion,
      view.createdAt,
      view.updatedAt,
    ],
  );
}
