import { COMMUNITY_COUNTER_NAMES } from '@rcp/contracts';
import type {
  QualityGate,
  RetryPolicy,
} from '../../domain/community-rollout/community-rollout.decide';

/** Orchestrator settings from the environment (tests use milliseconds). */
export interface OrchestratorConfig {
  retry: RetryPolicy;
  phaseDeadlineMs: number;
  qualityGate: QualityGate;
  importRegistry: boolean;
}

function parseGate(text: string): QualityGate {
  const raw = JSON.parse(text) as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    if (
      !(COMMUNITY_COUNTER_NAMES as readonly string[]).includes(key) ||
      typeof value !== 'number' ||
      value < 0
    ) {
      throw new Error(`ORCH_QUALITY_GATE: ${key} must be a counter name with a number ≥ 0`);
    }
  }
  return raw as QualityGate;
}

export function loadOrchestratorConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  const backoffMs = (env.ORCH_RETRY_BACKOFF_MS ?? '60000,300000,900000')
    .split(',')
    .map((v) => Number(v.trim()));
  if (backoffMs.some((v) => !Number.isFinite(v) || v < 0))
    throw new Error('ORCH_RETRY_BACKOFF_MS must be comma-separated milliseconds');
  return {
    retry: { maxAttempts: Number(env.ORCH_MAX_ATTEMPTS ?? 3), backoffMs },
    phaseDeadlineMs: Number(env.ORCH_PHASE_DEADLINE_MS ?? 30 * 60_000),
    qualityGate: parseGate(env.ORCH_QUALITY_GATE ?? '{"businessesDiscovered":1}'),
    importRegistry: (env.ORCH_IMPORT_REGISTRY ?? 'true') !== 'false',
  };
}
