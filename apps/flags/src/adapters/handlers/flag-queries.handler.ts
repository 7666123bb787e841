import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  GetFlagQuery,
  GetFlagsSnapshotQuery,
  GetRolloutHistoryQuery,
  GetRolloutStatsQuery,
  ListFlagsQuery,
  type FlagView,
  type ListFlagsReply,
} from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import { notFound, readHistory, readSnapshot } from './flag-read-model';
import { readRolloutStats } from './rollout-stats.read';
import { selectFlags } from '../projections/flag-row';

/** Reads of the flags read models. */
@Injectable()
export class FlagQueriesHandler implements OnModuleInit {
  constructor(private readonly runtime: ServiceRuntime) {}

  onModuleInit(): void {
    const { bus, db } = this.runtime;
    bus.register(GetFlagQuery, async (q): Promise<FlagView> => {
      const [view] = await selectFlags(db, 'feature_name = $1', [q.flag]);
      return view ?? notFound(q.flag);
    });
    bus.register(ListFlagsQuery, async (q): Promise<ListFlagsReply> => {
      const where = q.isActive === undefined ? 'TRUE' : 'is_active = $1';
      const params = q.isActive === undefined ? [] : [q.isActive];
      const all = await selectFlags(db, where, params);
      const offset = q.offset ?? 0;
      return { items: all.slice(offset, offset + (q.limit ?? 100)), total: all.length };
    });
    bus.register(GetFlagsSnapshotQuery, () => readSnapshot(db));
    bus.register(GetRolloutHistoryQuery, (q) => readHistory(db, q));
    bus.register(GetRolloutStatsQuery, (q) => readRolloutStats(db, q, new Date()));
  }
}
