import {
  getMetadataStorage,
  ValidationTypes,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { Class } from '@rcp/contracts';

/**
 * The accepting path of validatePayload for flat payloads, without class-validator's executor or
 * class-transformer (in profiles of bench:quota, the largest cost of taking a small command in).
 * It calls the same constraint functions on the same instance, and only ever says "valid":
 * anything it cannot decide exactly as they would goes the full way, so every error is still
 * class-validator's own.
 */

/** A class, as both registries key their metadata (by identity only). */
type Target = object;

interface ValidationMetadata {
  type: string;
  propertyName: string;
  constraintCls: Target;
  constraints: unknown[];
  each: boolean;
  validateIf?: (object: object, value: unknown) => boolean;
}

interface ConstraintMetadata {
  async: boolean;
  instance: ValidatorConstraintInterface;
}

interface ValidatorStorage {
  getTargetValidationMetadatas(...args: unknown[]): ValidationMetadata[];
  getTargetValidatorConstraints(target: Target): ConstraintMetadata[];
}

/** class-transformer's registry (not part of its typed surface; the same module its decorators fill). */
type TransformerStorage = Record<
  '_typeMetadatas' | '_transformMetadatas' | '_exposeMetadatas' | '_excludeMetadatas',
  Map<Target, unknown>
>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformer = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TransformerStorage;
};
const transformerStorage = transformer.defaultMetadataStorage;

interface Rule {
  metadata: ValidationMetadata;
  validators: ValidatorConstraintInterface[];
}

interface PropertyCheck {
  name: string;
  /** @IsOptional, @ValidateIf: the property is checked only when all of them hold. */
  conditions: Array<(object: object, value: unknown) => boolean>;
  /** @IsDefined first, then the others, as the executor runs them. */
  rules: Rule[];
}

interface Plan {
  properties: PropertyCheck[];
  allowed: Set<string>;
}

const CHECKED = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.WHITELIST,
]);

const plans = new Map<Target, Plan | null>();

/** Forgets every plan (a rule was registered after one was made). */
export function forgetFlatPayloadPlans(): void {
  plans.clear();
}

/**
 * An instance of `dto` holding `value`'s fields when `value` certainly passes validatePayload's
 * rules (whitelist, forbidNonWhitelisted), else undefined. Decides only payloads whose fields are
 * all declared and all primitive, for DTOs with no class-transformer metadata (so plainToInstance
 * would only copy the fields) and only synchronous class-validator rules on flat fields.
 */
export function flatInstance<T extends object>(dto: Class<T>, value: object): T | undefined {
  let plan = plans.get(dto);
  if (plan === undefined) plans.set(dto, (plan = planOf(dto)));
  if (!plan) return undefined;
  const keys = Object.keys(value);
  for (const key of keys) {
    const field = (value as Record<string, unknown>)[key];
    if (!plan.allowed.has(key) || (typeof field === 'object' && field !== null)) return undefined;
  }
  const instance = new dto() as Record<string, unknown>;
  for (const key of keys) instance[key] = (value as Record<string, unknown>)[key];
  for (const property of plan.properties)
    if (!passes(dto, instance, property, instance[property.name])) return undefined;
  return instance as T;
}

function passes(
  dto: { name: string },
  object: Record<string, unknown>,
  property: PropertyCheck,
  value: unknown,
): boolean {
  if (!property.conditions.every((holds) => holds(object, value))) return true;
  for (const { metadata, validators } of property.rules) {
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    const args: ValidationArguments = {
      targetName: dto.name,
      property: metadata.propertyName,
      object,
      value,
      constraints: metadata.constraints,
    };
    for (const validator of validators) {
      const valid = validator.validate(value, args);
      if (!valid || isThenable(valid)) return false;
    }
  }
  return true;
}

/** class-validator's own test for an asynchronous result. */
function isThenable(value: unknown): boolean {
  return typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** The checks class-validator would run on `dto`, or null when this path cannot run them all. */
function planOf(dto: Target): Plan | null {
  if (hasTransformerMetadata(dto)) return null;
  const storage = getMetadataStorage() as unknown as ValidatorStorage;
  // The arguments validateSync passes (no schema, groups or `always`).
  const metadatas = storage.getTargetValidationMetadatas(dto, undefined, false, false, undefined);
  const byName = new Map<string, PropertyCheck>();
  for (const metadata of metadatas) {
    if (!CHECKED.has(metadata.type) || metadata.each) return null;
    let property = byName.get(metadata.propertyName);
    if (!property) {
      property = { name: metadata.propertyName, conditions: [], rules: [] };
      byName.set(metadata.propertyName, property);
    }
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      property.conditions.push(metadata.constraints[0] as PropertyCheck['conditions'][number]);
      continue;
    }
    if (metadata.type === ValidationTypes.WHITELIST) continue;
    const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
    if (constraints.some((c) => c.async)) return null;
    const rule = { metadata, validators: constraints.map((c) => c.instance) };
    if (metadata.type === ValidationTypes.IS_DEFINED) property.rules.unshift(rule);
    else property.rules.push(rule);
  }
  return { properties: [...byName.values()], allowed: new Set(byName.keys()) };
}

function hasTransformerMetadata(dto: Target): boolean {
  const maps = [
    transformerStorage._typeMetadatas,
    transformerStorage._transformMetadatas,
    transformerStorage._exposeMetadatas,
    transformerStorage._excludeMetadatas,
  ];
  for (let target: Target | null = dto; target && target !== Function.prototype;) {
    if (maps.some((map) => map.has(target!))) return true;
    target = Object.getPrototypeOf(target) as Target | null;
  }
  return false;
}
