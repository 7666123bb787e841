import type { EventEnvelope } from '@rcp/contracts';
import { fold, type Decider, type DomainEvent } from '@rcp/domain';
import { canonicalHash } from '@rcp/eventing';
import type { EventStore, StreamRef, Tx } from '@rcp/persistence';

export interface InTransactionCommand {
  /** Derived from the triggering event, so a replay finds it in `processed_commands`. */
  commandId: string;
  name: string;
  payload: object;
  /** The event this reaction answers (correlation and causation of the new events). */
  cause: EventEnvelope;
}

/**
 * Decides and appends on `tx`, the transaction of a projection batch, exactly once per
 * `commandId`. (The chassis documents `executor.executeIn` for this; until it exists, this is
 * the same contract: command log row + events + outbox in the caller's transaction.) Callers hold
 * the aggregate's advisory lock, so no concurrent writer can make the append conflict.
 */
export async function decideInTransaction<C, E extends DomainEvent, S>(
  store: EventStore,
  tx: Tx,
  command: InTransactionCommand,
  ref: StreamRef,
  decider: Decider<C, E, S>,
  decision: C,
  stateCodeOf: (event: E) => string,
): Promise<EventEnvelope[]> {
  const seen = await tx.query('SELECT 1 FROM processed_commands WHERE command_id = $1', [
    command.commandId,
  ]);
  if (seen.length > 0) return [];
  const stored = await store.readStream(tx, ref);
  const state = fold(
    decider,
    stored.map((s) => ({ type: s.envelope.type, data: s.envelope.data }) as E),
  );
  const events = decider.decide(decision, state);
  const envelopes = await store.append(
    tx,
    ref,
    stored.length,
    events.map((e) => ({ type: e.type, data: e.data, stateCode: stateCodeOf(e) })),
    {
      correlationId: command.cause.correlationId,
      causationId: command.cause.id,
      actor: 'ledger',
      occurredAt: new Date(),
    },
  );
  await tx.query(
    'INSERT INTO processed_commands (command_id, command_name, payload_hash, reply) VALUES ($1, $2, $3, $4)',
    [
      command.commandId,
      command.name,
      canonicalHash(command.payload),
      JSON.stringify({ ok: true, data: { events: envelopes.length } }),
    ],
  );
  return envelopes;
}

/** Serialises every writer of one aggregate within PostgreSQL (held until commit). */
export async function lockAggregate(tx: Tx, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
}
