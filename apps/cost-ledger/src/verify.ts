import { connectNats } from '@rcp/messaging';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import type { Queryable } from '@rcp/persistence';
import { rollupChecks, type Check } from './adapters/verify/rollup-checks';
import { streamChecks } from './adapters/verify/stream-checks';

export interface VerifyReport {
  ok: boolean;
  checks: Check[];
  text: string;
}

/**
 * Reconciliation: every roll-up equals the sum of its usage rows, every row is priced as its
 * columns say, and the rows are exactly the distinct `ApiUsageRecorded` events in the stream.
 */
export async function verifyLedger(db: Queryable, nc: NatsConnection): Promise<VerifyReport> {
  const checks = [...(await rollupChecks(db)), ...(await streamChecks(db, nc))];
  const ok = checks.every((c) => c.ok);
  const lines = checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`);
  const text = ['ledger verify', ...lines, ok ? 'all checks passed' : 'MISMATCH'].join('\n');
  return { ok, checks, text };
}

async function main(): Promise<void> {
  const schema = process.env.DB_SCHEMA || 'ledger';
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/rollout',
    options: `-c search_path=${schema}`,
  });
  const nc = await connectNats({
    url: process.env.NATS_URL || 'nats://127.0.0.1:4222',
    name: 'ledger-verify',
  });
  try {
    const db: Queryable = { query: async (sql, params) => (await pool.query(sql, params)).rows };
    const report = await verifyLedger(db, nc);
    console.log(report.text);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await nc.close();
    await pool.end();
  }
}

if (require.main === module)
  main().catch((error: Error) => {
    console.error(`ledger verify failed: ${error.message}`);
    process.exitCode = 2;
  });
