import type { EvaluateReply, FlagView, SubjectAttributes } from '@rcp/contracts';
import { bucketOfKey } from './bucket';
import { categorize, categoryRolledOut } from './categorize';
import type { EmergencyOverride } from './emergency-override';

/** A flag prepared for fast evaluation: its lists as sets, its hash prefix joined once. */
export interface CompiledFlag {
  view: FlagView;
  allow: ReadonlySet<string>;
  deny: ReadonlySet<string>;
  keyPrefix: string;
}

export function compileFlag(view: FlagView): CompiledFlag {
  return {
    view,
    allow: new Set(view.allowList),
    deny: new Set(view.denyList),
    keyPrefix: `${view.groupId}:`,
  };
}

const NO_OVERRIDE: EmergencyOverride = { all: false, flags: new Set() };

/**
 * Evaluates a flag for a subject, in order: emergency stop (the flag's, or the environment
 * override), inactive, deny list, allow list, then the strategy. Pure and synchronous: the service
 * and every client cache answer alike.
 */
export function evaluateFlag(
  flag: CompiledFlag,
  subjectId: string,
  attributes?: SubjectAttributes,
  override: EmergencyOverride = NO_OVERRIDE,
): EvaluateReply {
  const view = flag.view;
  const base = { rolloutPercentage: view.rolloutPercentage, configVersion: view.configVersion };
  if (view.emergencyStop || override.all || override.flags.has(view.flag))
    return { enabled: false, reason: 'emergency_stop', ...base };
  if (!view.isActive) return { enabled: false, reason: 'inactive', ...base };
  if (flag.deny.has(subjectId)) return { enabled: false, reason: 'denied', ...base };
  if (flag.allow.has(subjectId)) return { enabled: true, reason: 'allowed', ...base };
  switch (view.strategy) {
    case 'percentage': {
      const bucket = bucketOfKey(flag.keyPrefix + subjectId);
      const enabled = view.rolloutPercentage > 0 && bucket <= view.rolloutPercentage;
      return { enabled, reason: 'percentage', bucket, ...base };
    }
    case 'whitelist':
      return { enabled: false, reason: 'not_allowed', ...base };
    case 'category': {
      const category = categorize(attributes, view.categoryThresholds);
      const enabled =
        category !== null &&
        (view.categories.includes(category) || categoryRolledOut(category, view.rolloutPercentage));
      return { enabled, reason: 'category', ...base };
    }
  }
}
