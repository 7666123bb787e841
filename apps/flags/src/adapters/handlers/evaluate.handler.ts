import { randomUUID } from 'node:crypto';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { EvaluateQuery, type EvaluateReply } from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import {
  emergencyOverrideFromEnv,
  evaluateFlag,
  FlagCache,
  overrideStops,
  type EmergencyOverride,
} from '@rcp/flags-client';
import { readSnapshot } from './flag-read-model';
import { decideFlag } from './flag-command.runner';

const OVERRIDE_REASON = 'FLAGS_EMERGENCY_STOP environment override';

/**
 * `qry.flags.Evaluate` from an in-memory cache (the client library's), loaded from
 * `rollout_configuration` and kept fresh from the flag events. Applies the `FLAGS_EMERGENCY_STOP`
 * override, which is logged at start and recorded on every flag it stops.
 */
@Injectable()
export class EvaluateHandler implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly override: EmergencyOverride = emergencyOverrideFromEnv();
  private readonly cache: FlagCache;

  constructor(private readonly runtime: ServiceRuntime) {
    this.cache = new FlagCache(
      runtime.nc,
      () => readSnapshot(runtime.db),
      (message, fields) => runtime.logger.warn(message, fields),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.cache.start();
    this.runtime.bus.register(EvaluateQuery, async (q): Promise<EvaluateReply> =>
      evaluateFlag(this.cache.require(q.flag), q.subjectId, q.attributes, this.override),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const { all, flags } = this.override;
    if (!all && flags.size === 0) return;
    this.runtime.logger.warn('FLAGS_EMERGENCY_STOP override active', { all, flags: [...flags] });
    for (const view of this.cache.views())
      if (overrideStops(this.override, view.flag) && !view.emergencyStop)
        await this.stop(view.flag);
  }

  async onModuleDestroy(): Promise<void> {
    await this.cache.stop();
  }

  private async stop(flag: string): Promise<void> {
    const payload = { flag, reason: OVERRIDE_REASON };
    await this.runtime.executor.execute(
      { commandId: randomUUID(), name: 'EmergencyStop', actor: 'environment', payload },
      async (session) => {
        await decideFlag(session, flag, {
          type: 'EmergencyStop',
          input: payload,
          source: 'environment',
          now: session.now,
        });
        return { flag };
      },
    );
    this.runtime.logger.warn('flag stopped by the environment override', { flag });
  }
}
