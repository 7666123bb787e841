import {
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { STREAM_SUBJECTS, STREAMS } from '@rcp/contracts';

export interface StreamOptions {
  /** Replicas per stream (1 on one server, 3 on a cluster). */
  replicas?: number;
  /** Window in which JetStream drops a republished `Nats-Msg-Id`. */
  duplicateWindowMs?: number;
}

/** Creates `ROLLOUT_EVENTS` and `ROLLOUT_DLQ` (file storage) or brings their settings up to date. */
export async function ensureStreams(
  nc: NatsConnection,
  options: StreamOptions = {},
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const replicas = options.replicas ?? Number(process.env.STREAM_REPLICAS ?? 1);
  const duplicateWindow = nanos(options.duplicateWindowMs ?? 10 * 60_000);
  const configs: (Partial<StreamConfig> & { name: string })[] = [
    { name: STREAMS.events, subjects: [STREAM_SUBJECTS.events] },
    { name: STREAMS.deadLetters, subjects: [STREAM_SUBJECTS.deadLetters] },
  ];
  for (const config of configs) {
    const full = {
      ...config,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      num_replicas: replicas,
      duplicate_window: duplicateWindow,
    };
    try {
      await jsm.streams.add(full);
    } catch (error) {
      if (!/already in use|exists/i.test((error as Error).message)) throw error;
      await jsm.streams.update(config.name, {
        subjects: config.subjects,
        duplicate_window: duplicateWindow,
      });
    }
  }
}
