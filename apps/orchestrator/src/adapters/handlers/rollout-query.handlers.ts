import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  GetCommunityRolloutQuery,
  GetStateProgressQuery,
  ListCommunitiesQuery,
  ListCommunityRolloutsQuery,
  ListStateRolloutsQuery,
} from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import {
  getCommunityRollout,
  listCommunities,
  listCommunityRollouts,
} from '../queries/community-queries';
import { listStateRollouts, stateProgress } from '../queries/rollout-queries';

/** `qry.orchestrator.*`: read the projections. */
@Injectable()
export class RolloutQueryHandlers implements OnModuleInit {
  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}

  onModuleInit(): void {
    const { bus, db } = this.runtime;
    bus.register(GetStateProgressQuery, (q) => stateProgress(db, q));
    bus.register(ListStateRolloutsQuery, (q) => listStateRollouts(db, q));
    bus.register(GetCommunityRolloutQuery, (q) => getCommunityRollout(db, q.communityRolloutId));
    bus.register(ListCommunityRolloutsQuery, (q) => listCommunityRollouts(db, q));
    bus.register(ListCommunitiesQuery, (q) => listCommunities(db, q));
  }
}
