import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { STREAMS, type ApiUsageRecorded, type EventEnvelope } from '@rcp/contracts';
import type { Pool } from 'pg';

/**
 * The raw ceiling: a plain durable pull consumer that inserts each fetched batch with one
 * multi-row INSERT (same row shape and indexes as rollout_api_usage, no pricing) plus a
 * checkpoint, in one transaction, then acks. `consume(n)` takes the next n events and returns
 * the milliseconds it took.
 */
export async function openRawConsumer(
  nc: NatsConnection,
  pool: Pool,
  batch: number,
): Promise<{ consume: (count: number) => Promise<number> }> {
  await pool.query('CREATE SCHEMA IF NOT EXISTS bench_raw');
  await pool.query('CREATE TABLE bench_raw.usage (LIKE ledger.rollout_api_usage INCLUDING ALL)');
  await pool.query(
    'CREATE TABLE bench_raw.checkpoint (consumer text PRIMARY KEY, seq bigint NOT NULL)',
  );
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(STREAMS.events, {
    durable_name: 'bench-raw',
    ack_policy: AckPolicy.Explicit,
    filter_subject: 'events.discovery.ApiUsageRecorded.*',
    max_ack_pending: batch * 4,
  });
  const consumer = await jetstream(nc).consumers.get(STREAMS.events, 'bench-raw');
  const consume = async (total: number) => {
    const started = performance.now();
    for (let done = 0; done < total;) {
      const msgs = [];
      const max = Math.min(batch, total - done);
      for await (const m of await consumer.fetch({ max_messages: max, expires: 2000 }))
        msgs.push(m);
      if (msgs.length === 0) continue;
      await insertBatch(pool, msgs);
      for (const m of msgs) m.ack();
      done += msgs.length;
    }
    return performance.now() - started;
  };
  return { consume };
}

async function insertBatch(pool: Pool, msgs: JsMsg[]): Promise<void> {
  const rows = msgs.map((m) => ({
    e: m.json<EventEnvelope<ApiUsageRecorded>>(),
    seq: m.info.streamSequence,
  }));
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO bench_raw.usage (id, event_id, community_rollout_id, state_rollout_id, state_code, api_name, endpoint,
         sku_tier, request_count, estimated_cost, actual_response_count, priced_cost, recorded_at, created_at, stream_sequence)
       SELECT u.a, u.b, u.c, u.d, u.e, u.f, u.g, u.h, u.i, u.j, u.k, 0, u.r, u.r, u.s FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::int[], $10::numeric[], $11::int[], $12::timestamptz[], $13::bigint[]) AS u(a,b,c,d,e,f,g,h,i,j,k,r,s)`,
      [
        rows.map((r) => r.e.data.usageId),
        rows.map((r) => r.e.id),
        rows.map((r) => r.e.data.communityRolloutId),
        rows.map((r) => r.e.data.stateRolloutId ?? null),
        rows.map((r) => r.e.data.stateCode),
        rows.map((r) => r.e.data.apiName),
        rows.map((r) => r.e.data.endpoint),
        rows.map((r) => r.e.data.skuTier),
        rows.map((r) => r.e.data.requestCount),
        rows.map((r) => r.e.data.estimatedCost),
        rows.map((r) => r.e.data.actualResponseCount),
        rows.map((r) => r.e.data.recordedAt),
        rows.map((r) => r.seq),
      ],
    );
    await client.query(
      `INSERT INTO bench_raw.checkpoint VALUES ('raw', $1) ON CONFLICT (consumer) DO UPDATE SET seq = EXCLUDED.seq`,
      [rows[rows.length - 1].seq],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
