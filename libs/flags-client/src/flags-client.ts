import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  GetFlagsSnapshotQuery,
  RecordJobOutcomeCommand,
  type EvaluateReply,
  type FlagsSnapshotReply,
  type RecordJobOutcome,
  type Reply,
  type SubjectAttributes,
} from '@rcp/contracts';
import { DomainError } from '@rcp/domain';
import { request } from '@rcp/messaging';
import { emergencyOverrideFromEnv, type EmergencyOverride } from './emergency-override';
import { evaluateFlag } from './evaluate';
import { FlagCache } from './flag-cache';

export interface FlagsClientOptions {
  nc: NatsConnection;
  /** Who reports job outcomes (the `actor` of RecordJobOutcome), e.g. `discovery`. */
  actor: string;
  /** Default: `FLAGS_EMERGENCY_STOP` of this process. */
  emergencyOverride?: EmergencyOverride;
  requestTimeoutMs?: number;
}

export type JobOutcome = Omit<RecordJobOutcome, 'commandId' | 'actor'> & { commandId?: string };

/** In-process flag evaluation from a local cache kept fresh from flag events. */
export class FlagsClient {
  readonly cache: FlagCache;
  private readonly override: EmergencyOverride;

  constructor(private readonly options: FlagsClientOptions) {
    this.override = options.emergencyOverride ?? emergencyOverrideFromEnv();
    this.cache = new FlagCache(options.nc, () => this.snapshot());
  }

  start(): Promise<void> {
    return this.cache.start();
  }

  stop(): Promise<void> {
    return this.cache.stop();
  }

  /** Same answer as `qry.flags.Evaluate`; throws `FLAG_NOT_FOUND` for an unknown flag. */
  evaluate(flag: string, subjectId: string, attributes?: SubjectAttributes): EvaluateReply {
    return evaluateFlag(this.cache.require(flag), subjectId, attributes, this.override);
  }

  /** `enabled`, or `fallback` when the flag is unknown. */
  isEnabled(flag: string, subjectId: string, attributes?: SubjectAttributes, fallback = false) {
    const compiled = this.cache.get(flag);
    if (!compiled) return fallback;
    return evaluateFlag(compiled, subjectId, attributes, this.override).enabled;
  }

  /** Reports a job run under a flag (feeds auto-rollback). */
  recordOutcome(outcome: JobOutcome): Promise<Reply<unknown>> {
    const payload = {
      ...outcome,
      commandId: outcome.commandId ?? randomUUID(),
      actor: this.options.actor,
    };
    return request(this.options.nc, RecordJobOutcomeCommand.subject, payload, this.timeout());
  }

  private async snapshot(): Promise<FlagsSnapshotReply> {
    const reply = await request<FlagsSnapshotReply>(
      this.options.nc,
      GetFlagsSnapshotQuery.subject,
      {},
      this.timeout(),
    );
    if (!reply.ok)
      throw new DomainError(reply.error.code, reply.error.message, reply.error.details);
    return reply.data;
  }

  private timeout() {
    return this.options.requestTimeoutMs ?? 10_000;
  }
}
