import type { Projection } from '@rcp/eventing';
import { applyFlagEvent, FLAG_CONFIG_EVENT_TYPES } from '@rcp/flags-client';
import { selectFlags, upsertFlag } from './flag-row';

/**
 * `rollout_configuration`: one row per flag, the same view every client cache holds (one shared
 * reducer). Per-row version check: a repeat is skipped, a gap is retried until its predecessor lands.
 */
export const rolloutConfigurationProjection: Projection = {
  name: 'rollout-configuration',
  filterSubject: 'events.flags.>',
  eventTypes: FLAG_CONFIG_EVENT_TYPES,
  tables: ['rollout_configuration'],
  async apply(event, tx) {
    const [current] = await selectFlags(
      tx,
      'feature_name = $1',
      [event.aggregate.id],
      'FOR UPDATE',
    );
    const version = current?.configVersion ?? 0;
    if (event.aggregate.version <= version) return;
    if (event.aggregate.version !== version + 1)
      throw new Error(
        `flag ${event.aggregate.id}: event version ${event.aggregate.version} after ${version}`,
      );
    const next = applyFlagEvent(current, event);
    if (next) await upsertFlag(tx, next);
  },
};

/** Durable consumer of the projection: its checkpoint is the stream position of the table. */
export const ROLLOUT_CONFIGURATION_CONSUMER = 'flags-rollout-configuration';
