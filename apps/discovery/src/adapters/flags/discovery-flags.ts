import type { NatsConnection } from '@nats-io/transport-node';
import {
  DISCOVERY_FLAG_PROCESSORS,
  DISCOVERY_FLAGS,
  type CommunityPhaseRequested,
} from '@rcp/contracts';
import { FlagsClient } from '@rcp/flags-client';
import type { Logger } from '@rcp/telemetry';
import { PHASE_FAILURE_CODES } from '../../domain/community-phase/community-phase.decide';
import { uuidFrom, type PhaseWork } from '../phases/phase-work';

/** The path a phase run took under a flag. */
export interface FlagDecision {
  flag: string;
  enabled: boolean;
  processor: string;
}

export interface DiscoveryFlagsOptions {
  enabled: boolean;
  /** Pause between attempts to load the flags while the flags service does not answer. */
  retryMs: number;
}

/** Failures that say nothing about the flagged path (the quota ran out, not the path). */
const NOT_THE_PATH: readonly string[] = [
  PHASE_FAILURE_CODES.quotaExceeded,
  PHASE_FAILURE_CODES.quotaUnavailable,
];

/**
 * Discovery's routing decisions through `@rcp/flags-client` (in-process evaluation from a cache fed
 * by flag events) and the outcome reports that drive auto-rollback. Until the flags are loaded, or
 * when a flag does not exist, every community takes the default path; nothing here fails a phase.
 */
export class DiscoveryFlags {
  private client?: FlagsClient;
  private loading?: Promise<void>;
  private stopped = false;
  private wake?: () => void;
  private firstTry?: () => void;
  private readonly tried = new Promise<void>((resolve) => (this.firstTry = resolve));

  constructor(
    private readonly nc: NatsConnection,
    private readonly logger: Logger,
    private readonly options: DiscoveryFlagsOptions,
  ) {}

  /** Starts loading the flags; resolves after the first try or `waitMs`, whichever comes first. */
  async start(waitMs = 0): Promise<void> {
    if (!this.options.enabled) return;
    this.loading ??= this.load();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.tried, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loading;
    await this.client?.stop().catch(() => undefined);
  }

  /** Phase 1: whether the community's dense categories take Nearby Search (flag on). */
  denseSearch(job: CommunityPhaseRequested): FlagDecision | null {
    const flag = DISCOVERY_FLAGS.denseNearbySearch;
    if (job.phase !== 1 || !this.client?.cache.get(flag)) return null;
    try {
      const attributes = { population: job.population ?? null, stateCode: job.stateCode };
      const { enabled } = this.client.evaluate(flag, job.communityId, attributes);
      return { flag, enabled, processor: DISCOVERY_FLAG_PROCESSORS.nearbyDense };
    } catch (error) {
      this.logger.warn('flag evaluation failed; default path', { flag, error });
      return null;
    }
  }

  /** Reports the outcome of a run on a flagged path (runs on the default path are not the flag's). */
  async report(
    job: CommunityPhaseRequested,
    decision: FlagDecision | null,
    work: PhaseWork,
    durationMs: number,
  ): Promise<void> {
    if (!decision?.enabled || !this.client) return;
    const { outcome } = work;
    if (outcome.type === 'fail' && NOT_THE_PATH.includes(outcome.error.code)) return;
    const reply = await this.client
      .recordOutcome({
        commandId: uuidFrom(`flag-outcome:${job.communityRolloutId}:${job.phase}:${job.attempt}`),
        flag: decision.flag,
        subjectId: job.communityId,
        processor: decision.processor,
        success: outcome.type === 'complete',
        durationMs: Math.max(0, Math.round(durationMs)),
        error:
          outcome.type === 'fail'
            ? `${outcome.error.code}: ${outcome.error.message}`.slice(0, 4000)
            : undefined,
      })
      .catch((error: Error) => ({
        ok: false as const,
        error: { code: 'INTERNAL', message: error.message },
      }));
    if (!reply.ok)
      this.logger.warn('job outcome not recorded', { flag: decision.flag, error: reply.error });
  }

  private async load(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      const client = new FlagsClient({ nc: this.nc, actor: 'discovery', requestTimeoutMs: 2_000 });
      const loaded = await client.start().then(
        () => null,
        (error: unknown) => error ?? new Error('flags snapshot failed'),
      );
      this.firstTry?.();
      if (loaded === null && !this.stopped) {
        this.client = client;
        this.logger.info('feature flags loaded', { flags: client.cache.views().length });
        return;
      }
      await client.stop().catch(() => undefined);
      if (attempt === 1 && loaded)
        this.logger.warn('flags service not answering; default paths until it does', {
          error: loaded,
        });
      if (!this.stopped) await this.pause(this.options.retryMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
