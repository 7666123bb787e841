import {
  FlagNotFoundError,
  OpenFeatureEventEmitter,
  ProviderEvents,
  StandardResolutionReasons,
  TargetingKeyMissingError,
  TypeMismatchError,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type ResolutionReason,
} from '@openfeature/server-sdk';
import type { EvaluationReason, SubjectAttributes } from '@rcp/contracts';
import type { FlagsClient } from './flags-client';

const REASONS: Record<EvaluationReason, ResolutionReason> = {
  emergency_stop: StandardResolutionReasons.DISABLED,
  inactive: StandardResolutionReasons.DISABLED,
  denied: StandardResolutionReasons.TARGETING_MATCH,
  allowed: StandardResolutionReasons.TARGETING_MATCH,
  percentage: StandardResolutionReasons.SPLIT,
  category: StandardResolutionReasons.TARGETING_MATCH,
  not_allowed: StandardResolutionReasons.DEFAULT,
};

/**
 * OpenFeature server provider over {@link FlagsClient}: boolean flags, `targetingKey` is the
 * subject id, the other context fields are its attributes. Emits
 * `PROVIDER_CONFIGURATION_CHANGED` whenever a flag event changes the cache.
 */
export class RcpFlagsProvider implements Provider {
  readonly metadata = { name: 'rcp-flags' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  private unsubscribe?: () => void;

  constructor(private readonly client: FlagsClient) {}

  async initialize(): Promise<void> {
    await this.client.start();
    this.unsubscribe ??= this.client.cache.onChange((flagsChanged) =>
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged }),
    );
  }

  async onClose(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.client.stop();
  }

  async resolveBooleanEvaluation(
    flagKey: string,
    _defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    const compiled = this.client.cache.get(flagKey);
    if (!compiled) throw new FlagNotFoundError(`no flag named ${flagKey}`);
    if (!context.targetingKey)
      throw new TargetingKeyMissingError('targetingKey (the subject id) is required');
    const result = this.client.evaluate(flagKey, context.targetingKey, attributesOf(context));
    return {
      value: result.enabled,
      reason: REASONS[result.reason],
      variant: result.enabled ? 'on' : 'off',
      flagMetadata: {
        reason: result.reason,
        rolloutPercentage: result.rolloutPercentage,
        configVersion: result.configVersion,
        ...(result.bucket === undefined ? {} : { bucket: result.bucket }),
      },
    };
  }

  async resolveStringEvaluation(flagKey: string): Promise<ResolutionDetails<string>> {
    throw this.typeMismatch(flagKey);
  }

  async resolveNumberEvaluation(flagKey: string): Promise<ResolutionDetails<number>> {
    throw this.typeMismatch(flagKey);
  }

  async resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
  ): Promise<ResolutionDetails<T>> {
    throw this.typeMismatch(flagKey);
  }

  private typeMismatch(flagKey: string): Error {
    if (!this.client.cache.get(flagKey)) return new FlagNotFoundError(`no flag named ${flagKey}`);
    return new TypeMismatchError(`flag ${flagKey} is boolean`);
  }
}

function attributesOf(context: EvaluationContext): SubjectAttributes {
  const attributes: SubjectAttributes = {};
  for (const [key, value] of Object.entries(context)) {
    if (key === 'targetingKey') continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      attributes[key] = value as string | number | boolean | null;
  }
  return attributes;
}
