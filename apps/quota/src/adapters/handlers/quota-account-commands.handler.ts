import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  CommitReservationCommand,
  ConsumeQuotaCommand,
  ReleaseReservationCommand,
  ReserveQuotaCommand,
  SetQuotaLimitCommand,
  SetTierCommand,
} from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import { streamIdOf } from '@rcp/persistence';
import { meterLimitDecider } from '../../domain/meter-limit/meter-limit.decide';
import { tenantDecider } from '../../domain/tenant/tenant.decide';
import { meterLimitRef, tenantRef } from '../accounts/account-store';
import { unwrapGranted } from '../accounts/quota-accounts';
import { QUOTA_CONTEXT, type QuotaContext } from '../quota-context';

/** cmd.quota.{SetTier, SetQuotaLimit, ReserveQuota, CommitReservation, ReleaseReservation, ConsumeQuota}. */
@Injectable()
export class QuotaAccountCommandsHandler implements OnModuleInit {
  constructor(
    private readonly runtime: ServiceRuntime,
    @Inject(QUOTA_CONTEXT) private readonly quota: QuotaContext,
  ) {}

  onModuleInit() {
    const { bus } = this.runtime;
    const { accounts, grants, clock } = this.quota;
    bus.register(SetTierCommand, (c) =>
      this.runtime.executor.handle('SetTier', c, async (s) => {
        const command = {
          type: 'SetTier' as const,
          tenantId: c.tenantId,
          tier: c.tier,
          now: clock(),
        };
        const ref = tenantRef(c.tenantId);
        grants.cache.written([streamIdOf(ref)]);
        const { state } = await s.decide(ref, tenantDecider, command, () => null);
        return { tenantId: c.tenantId, tier: state.tier };
      }),
    );
    bus.register(SetQuotaLimitCommand, (c) =>
      this.runtime.executor.handle('SetQuotaLimit', c, async (s) => {
        const command = { type: 'SetQuotaLimit' as const, ...c, now: clock() };
        const ref = meterLimitRef(c.tenantId, c.meter);
        grants.cache.written([streamIdOf(ref)]);
        const { state } = await s.decide(ref, meterLimitDecider, command, () => null);
        return { tenantId: c.tenantId, meter: c.meter, limit: state.limit };
      }),
    );
    bus.register(ReserveQuotaCommand, async (c) =>
      unwrapGranted(await grants.grant('ReserveQuota', c)),
    );
    bus.register(ConsumeQuotaCommand, async (c) =>
      unwrapGranted(await grants.grant('ConsumeQuota', c)),
    );
    bus.register(CommitReservationCommand, (c) =>
      this.runtime.executor.handle('CommitReservation', c, (s) =>
        accounts.commit(s, c.reservationId, c.units),
      ),
    );
    bus.register(ReleaseReservationCommand, (c) =>
      this.runtime.executor.handle('ReleaseReservation', c, (s) =>
        accounts.release(s, c.reservationId, c.reason),
      ),
    );
  }
}
