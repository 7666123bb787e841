import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  CommitReservationCommand,
  ConsumeQuotaCommand,
  ReleaseReservationCommand,
  ReserveQuotaCommand,
  SetQuotaLimitCommand,
  SetTierCommand,
  type CommandDto,
} from '@rcp/contracts';
import { ServiceRuntime, type CommandSession } from '@rcp/eventing';
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

  private run<C extends CommandDto, R>(
    name: string,
    command: C,
    work: (s: CommandSession) => Promise<R>,
  ) {
    const info = { commandId: command.commandId, name, actor: command.actor, payload: command };
    return this.runtime.executor.execute(info, work);
  }

  onModuleInit() {
    const { bus } = this.runtime;
    const { accounts, clock } = this.quota;
    bus.register(SetTierCommand, (c) =>
      this.run('SetTier', c, async (s) => {
        const command = {
          type: 'SetTier' as const,
          tenantId: c.tenantId,
          tier: c.tier,
          now: clock(),
        };
        const { state } = await s.decide(tenantRef(c.tenantId), tenantDecider, command, () => null);
        return { tenantId: c.tenantId, tier: state.tier };
      }),
    );
    bus.register(SetQuotaLimitCommand, (c) =>
      this.run('SetQuotaLimit', c, async (s) => {
        const command = { type: 'SetQuotaLimit' as const, ...c, now: clock() };
        const ref = meterLimitRef(c.tenantId, c.meter);
        const { state } = await s.decide(ref, meterLimitDecider, command, () => null);
        return { tenantId: c.tenantId, meter: c.meter, limit: state.limit };
      }),
    );
    bus.register(ReserveQuotaCommand, async (c) =>
      unwrapGranted(await this.run('ReserveQuota', c, (s) => accounts.reserve(s, c))),
    );
    bus.register(ConsumeQuotaCommand, async (c) =>
      unwrapGranted(await this.run('ConsumeQuota', c, (s) => accounts.consume(s, c))),
    );
    bus.register(CommitReservationCommand, (c) =>
      this.run('CommitReservation', c, (s) => accounts.commit(s, c.reservationId, c.units)),
    );
    bus.register(ReleaseReservationCommand, (c) =>
      this.run('ReleaseReservation', c, (s) => accounts.release(s, c.reservationId, c.reason)),
    );
  }
}
