import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { STREAMS } from '@rcp/contracts';
import type { Queryable } from '@rcp/persistence';
import type { Check } from './rollup-checks';

const SUBJECT = 'events.discovery.ApiUsageRecorded.*';

/** Distinct usage ids of every `ApiUsageRecorded` in ROLLOUT_EVENTS (an ordered consumer). */
export async function streamUsageIds(
  nc: NatsConnection,
): Promise<{ events: number; ids: Set<string> }> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(STREAMS.events, {
    filter_subjects: SUBJECT,
    deliver_policy: DeliverPolicy.All,
  });
  const ids = new Set<string>();
  let events = (await consumer.info()).num_pending;
  if (events === 0) return { events, ids };
  events = 0;
  const messages = await consumer.consume({ max_messages: 1000 });
  for await (const msg of messages) {
    events += 1;
    try {
      const usageId = (
        msg.json<{ data?: { usageId?: string } }>().data?.usageId ?? ''
      ).toLowerCase();
      if (usageId) ids.add(usageId);
    } catch {
      // Not JSON: the consumer dead-letters it; it is no usage.
    }
    if (msg.info.pending === 0) break;
  }
  await messages.close();
  return { events, ids };
}

export async function streamChecks(db: Queryable, nc: NatsConnection): Promise<Check[]> {
  const { events, ids } = await streamUsageIds(nc);
  const rows = await db.query<{ id: string }>('SELECT id FROM rollout_api_usage');
  const rowIds = new Set(rows.map((r) => r.id));
  const missing = [...ids].filter((id) => !rowIds.has(id));
  const extra = [...rowIds].filter((id) => !ids.has(id));
  return [
    {
      name: 'rollout_api_usage rows = distinct ApiUsageRecorded in the stream',
      ok: missing.length === 0 && extra.length === 0,
      detail:
        `${events} events, ${ids.size} distinct usages, ${rowIds.size} rows` +
        (missing.length ? `; missing ${missing.length} (e.g. ${missing[0]})` : '') +
        (extra.length ? `; not in stream ${extra.length} (e.g. ${extra[0]})` : ''),
    },
  ];
}
