import {
  CATEGORY_PRIORITIES,
  DEFAULT_CATEGORY_THRESHOLDS,
  SUBJECT_CATEGORIES,
  type CategoryThresholds,
  type SubjectAttributes,
  type SubjectCategory,
} from '@rcp/contracts';

/**
 * A subject's category from its attributes (seed 002 `categorize_repository`): an explicit
 * `category`, else `isTest: true`, else the numeric threshold attribute; `null` when none applies.
 */
export function categorize(
  attributes: SubjectAttributes | undefined,
  thresholds: CategoryThresholds = DEFAULT_CATEGORY_THRESHOLDS,
): SubjectCategory | null {
  if (!attributes) return null;
  const named = attributes.category;
  if (typeof named === 'string' && (SUBJECT_CATEGORIES as readonly string[]).includes(named))
    return named as SubjectCategory;
  if (attributes.isTest === true) return 'test';
  const raw = attributes[thresholds.attribute];
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (value >= thresholds.enterprise) return 'enterprise';
  if (value >= thresholds.large) return 'large';
  if (value >= thresholds.medium) return 'medium';
  return 'small';
}

/** Is `category` on at `percentage`? Higher priority first: on once `percentage >= 100 - priority`. */
export function categoryRolledOut(category: SubjectCategory, percentage: number): boolean {
  return percentage > 0 && percentage >= 100 - CATEGORY_PRIORITIES[category];
}
