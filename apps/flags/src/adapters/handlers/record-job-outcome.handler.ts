import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RecordJobOutcomeCommand, type RecordJobOutcome } from '@rcp/contracts';
import { fold } from '@rcp/domain';
import { ServiceRuntime, type CommandSession } from '@rcp/eventing';
import type { Tx } from '@rcp/persistence';
import { requireFlag, type FlagEvent } from '../../domain/flag/flag';
import { flagDecider } from '../../domain/flag/flag.decide';
import { healthOf, recordJobOutcome, type JobCounts } from '../../domain/flag-metrics/flag-metrics';
import { decideFlag, flagRef, NO_STATE } from './flag-command.runner';

const HOUR_MS = 3_600_000;
const metricsRef = (flag: string) => ({ aggregateType: 'FlagMetrics', aggregateId: flag });

/** Jobs recorded for a flag since `since`, and the metrics stream's version, from the event store. */
async function windowOf(
  tx: Tx,
  flag: string,
  since: Date,
): Promise<JobCounts & { version: number }> {
  const [row] = await tx.query<{ total: number; errors: number; version: number }>(
    `SELECT count(*) FILTER (WHERE occurred_at > $2)::int AS total,
            count(*) FILTER (WHERE occurred_at > $2 AND data->>'success' = 'false')::int AS errors,
            COALESCE(max(stream_version), 0)::int AS version
       FROM events WHERE stream_id = $1`,
    [`FlagMetrics-${flag}`, since.toISOString()],
  );
  return { totalJobs: row.total, errorCount: row.errors, version: row.version };
}

/**
 * Records a job outcome and applies the auto-rollback rule in the same transaction. Outcomes of
 * one flag are serialised by an advisory lock, so the window count each one sees is exact and the
 * rollback fires on exactly the outcome that crosses the line.
 */
@Injectable()
export class RecordJobOutcomeHandler implements OnModuleInit {
  constructor(private readonly runtime: ServiceRuntime) {}

  onModuleInit(): void {
    this.runtime.bus.register(RecordJobOutcomeCommand, (input) =>
      this.runtime.executor.execute(
        {
          commandId: input.commandId,
          name: 'RecordJobOutcome',
          actor: input.actor,
          payload: input,
        },
        (session) => this.record(session, input),
      ),
    );
  }

  private async record(session: CommandSession, input: RecordJobOutcome) {
    const { tx, now } = session;
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`flag-metrics:${input.flag}`]);
    const stored = await this.runtime.store.readStream(tx, flagRef(input.flag));
    const flag = fold(
      flagDecider,
      stored.map((s) => s.envelope as unknown as FlagEvent),
    );
    requireFlag(flag, input.flag);
    const windowStart = new Date(now.getTime() - flag.monitoringWindowHours * HOUR_MS);
    const since =
      flag.rolledBackAt && Date.parse(flag.rolledBackAt) > windowStart.getTime()
        ? new Date(flag.rolledBackAt)
        : windowStart;
    const window = await windowOf(tx, input.flag, since);
    const { events, figures } = recordJobOutcome(input, window, flag.monitoringWindowHours, now);
    await session.append(
      metricsRef(input.flag),
      window.version,
      events.map((e) => ({ ...e, stateCode: NO_STATE() })),
    );
    const rollback = await decideFlag(session, input.flag, {
      type: 'RollBack',
      flag: input.flag,
      figures,
      now,
    });
    return {
      flag: input.flag,
      ...figures,
      health: healthOf(figures),
      rolledBack: rollback.events.some((e) => e.type === 'FlagRolledBack'),
      rolloutPercentage: rollback.state.rolloutPercentage,
    };
  }
}
