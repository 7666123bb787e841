import { jetstreamManager } from '@nats-io/jetstream';
import { STREAMS, type VerifyCheck } from '@rcp/contracts';
import type { ServiceRuntime } from '@rcp/eventing';

const CHASSIS_TABLES = [
  'events',
  'outbox',
  'processed_commands',
  'processed_events',
  'consumer_checkpoints',
  'timers',
  'migrations',
];

/** A named check a service adds to its Verify report (e.g. the ledger's reconciliation). */
export type VerifyCheckFn = (runtime: ServiceRuntime) => Promise<VerifyCheck[]>;

/** Every table the chassis and the projections need exists in the service's schema. */
export async function schemaTablesCheck(runtime: ServiceRuntime): Promise<VerifyCheck> {
  const projectionTables = [
    ...runtime.consumers.flatMap((c) => c.projection.tables),
    ...(runtime.options.inlineProjections ?? []).flatMap((p) => p.tables),
  ];
  const wanted = [...new Set([...CHASSIS_TABLES, ...projectionTables])];
  const rows = (await runtime.db.query(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
    [runtime.db.schema],
  )) as Array<{ table_name: string }>;
  const present = new Set(rows.map((r) => r.table_name));
  const missing = wanted.filter((t) => !present.has(t.replace(/^.*\./, '')));
  return {
    name: 'schema tables',
    ok: missing.length === 0,
    detail: missing.length ? `missing: ${missing.join(', ')}` : `${wanted.length} tables present`,
  };
}

/** Every stream in `events` is numbered 1..n without a gap (optimistic concurrency held). */
export async function eventStreamsCheck(runtime: ServiceRuntime): Promise<VerifyCheck> {
  const [row] = (await runtime.db.query(
    `SELECT count(*)::int AS streams,
            count(*) FILTER (WHERE max_version <> versions OR min_version <> 1)::int AS broken
       FROM (SELECT stream_id, max(stream_version) AS max_version, min(stream_version) AS min_version,
                    count(*) AS versions
               FROM events GROUP BY stream_id) s`,
  )) as Array<{ streams: number; broken: number }>;
  return {
    name: 'event streams',
    ok: row.broken === 0,
    detail: `${row.streams} streams, ${row.broken} with gaps`,
  };
}

/** The outbox has been published (nothing waits for the relay). */
export async function outboxCheck(runtime: ServiceRuntime): Promise<VerifyCheck> {
  const [row] = (await runtime.db.query('SELECT count(*)::int AS n FROM outbox')) as Array<{
    n: number;
  }>;
  return { name: 'outbox', ok: row.n === 0, detail: `${row.n} events not yet published` };
}

/** Each durable consumer has applied everything the stream holds for it. */
export async function consumerChecks(runtime: ServiceRuntime): Promise<VerifyCheck[]> {
  const jsm = await jetstreamManager(runtime.nc);
  const checks: VerifyCheck[] = [];
  for (const consumer of runtime.consumers) {
    const name = `consumer ${consumer.durable}`;
    try {
      const info = await jsm.consumers.info(STREAMS.events, consumer.durable);
      const behind = info.num_pending + info.num_ack_pending;
      checks.push({
        name,
        ok: behind === 0,
        detail: `${info.num_pending} pending, ${info.num_ack_pending} unacknowledged`,
      });
    } catch (error) {
      checks.push({ name, ok: false, detail: (error as Error).message });
    }
  }
  return checks;
}

/** The generic report every service gives, then the service's own checks. */
export async function runVerify(
  runtime: ServiceRuntime,
  extra: readonly VerifyCheckFn[],
): Promise<VerifyCheck[]> {
  const checks = [
    await schemaTablesCheck(runtime),
    await eventStreamsCheck(runtime),
    await outboxCheck(runtime),
    ...(await consumerChecks(runtime)),
  ];
  for (const fn of extra) {
    try {
      checks.push(...(await fn(runtime)));
    } catch (error) {
      checks.push({ name: 'service checks', ok: false, detail: (error as Error).message });
    }
  }
  return checks;
}
