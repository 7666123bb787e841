import { DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  ERROR_CODES,
  STREAMS,
  type EventEnvelope,
  type FlagsSnapshotReply,
  type FlagView,
} from '@rcp/contracts';
import { DomainError } from '@rcp/domain';
import { compileFlag, type CompiledFlag } from './evaluate';
import { applyFlagEvent, isFlagConfigEvent } from './flag-view.reducer';

export type SnapshotLoader = () => Promise<FlagsSnapshotReply>;
export type ChangeListener = (flags: string[]) => void;

/**
 * Flag configurations held in memory and kept fresh from `events.flags.>`: a snapshot first, then
 * an ordered JetStream consumer from the snapshot's stream sequence, so nothing falls in between.
 * Lookups are synchronous map reads; no request per evaluation.
 */
export class FlagCache {
  private readonly flags = new Map<string, CompiledFlag>();
  private readonly listeners = new Set<ChangeListener>();
  private messages?: ConsumerMessages;
  private starting?: Promise<void>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly loadSnapshot: SnapshotLoader,
    private readonly onWarning: (message: string, fields: Record<string, unknown>) => void = () =>
      undefined,
  ) {}

  /** Loads the snapshot and follows the event stream; calling it again is harmless. */
  start(): Promise<void> {
    // A failed first load (flags service not up yet) is forgotten, so a later start() retries.
    this.starting ??= this.load().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    await this.messages?.close().catch(() => undefined);
    this.messages = undefined;
    this.starting = undefined;
  }

  get(flag: string): CompiledFlag | undefined {
    return this.flags.get(flag);
  }

  /** The compiled flag, or a `FLAG_NOT_FOUND` DomainError. */
  require(flag: string): CompiledFlag {
    const found = this.flags.get(flag);
    if (!found)
      throw new DomainError(ERROR_CODES.FLAG_NOT_FOUND, `no flag named ${flag}`, [
        { field: 'flag', message: 'unknown flag', value: flag },
      ]);
    return found;
  }

  views(): FlagView[] {
    return [...this.flags.values()].map((f) => f.view);
  }

  /** Calls `listener` with the names of the flags each applied event changed; returns an unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async load(): Promise<void> {
    const snapshot = await this.loadSnapshot();
    for (const view of snapshot.flags) this.flags.set(view.flag, compileFlag(view));
    const consumer = await jetstream(this.nc).consumers.get(STREAMS.events, {
      filter_subjects: 'events.flags.>',
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: snapshot.streamSequence + 1,
    });
    this.messages = await consumer.consume({ callback: (msg) => this.receive(msg) });
  }

  private receive(msg: JsMsg): void {
    let event: EventEnvelope;
    try {
      event = msg.json<EventEnvelope>();
    } catch {
      return;
    }
    if (!isFlagConfigEvent(event.type) || !event.aggregate) return;
    const name = event.aggregate.id;
    const current = this.flags.get(name)?.view;
    const version = current?.configVersion ?? 0;
    if (event.aggregate.version <= version) return;
    if (event.aggregate.version !== version + 1) {
      this.onWarning('flag event out of order; reloading flags', { flag: name, version });
      void this.resync();
      return;
    }
    const next = applyFlagEvent(current, event);
    if (!next) return;
    this.flags.set(name, compileFlag(next));
    for (const listener of this.listeners) listener([name]);
  }

  private async resync(): Promise<void> {
    const snapshot = await this.loadSnapshot().catch(() => null);
    const changed: string[] = [];
    for (const view of snapshot?.flags ?? []) {
      const current = this.flags.get(view.flag)?.view;
      if (current && current.configVersion >= view.configVersion) continue;
      this.flags.set(view.flag, compileFlag(view));
      changed.push(view.flag);
    }
    if (changed.length > 0) for (const listener of this.listeners) listener(changed);
  }
}
